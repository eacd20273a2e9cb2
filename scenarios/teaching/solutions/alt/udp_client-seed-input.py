"""The seed course's UDP client loop, for Python 3: each message is read
with input() and the loop ends on an empty line; here stdin holds
"i love you" and then an empty line.
"""
import os
from socket import *

ADDR = (os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"]))
BUFSIZ = 1024

udpCliSock = socket(AF_INET, SOCK_DGRAM)

while True:
    data = input("> ")
    if not data:
        break
    udpCliSock.sendto(data.encode(), ADDR)
    data, ADDR = udpCliSock.recvfrom(BUFSIZ)
    if not data:
        break
    print(data.decode())

udpCliSock.close()
