"""The seed course's TCP client, for Python 3: it reads each message with
input() and ends on an empty line; here stdin holds "i love you" and then
an empty line.
"""
import os
from socket import *

HOST = os.environ["SERVER_HOST"]
PORT = int(os.environ["SERVER_PORT"])
BUFSIZ = 1024
ADDR = (HOST, PORT)

tcpCliSock = socket(AF_INET, SOCK_STREAM)
tcpCliSock.connect(ADDR)

while True:
    data = input("> ")
    if not data:
        break
    tcpCliSock.send(data.encode())
    data = tcpCliSock.recv(BUFSIZ)
    if not data:
        break
    print(data.decode("utf-8"))

tcpCliSock.close()
