"""BUG: the seed course's UDP timestamp server, fixed for Python 3, handed
in for this exercise: it answers every datagram with the time and the
datagram ("Mon Dec  7 18:00:00 2026 i love you"), not with "i love me".
"""
import os
from socket import *
from time import ctime

ADDR = ("127.0.0.1", int(os.environ["PORT"]))
BUFSIZ = 1024

udpSerSock = socket(AF_INET, SOCK_DGRAM)
udpSerSock.bind(ADDR)

while True:
    print("waiting for message...")
    data, addr = udpSerSock.recvfrom(BUFSIZ)
    udpSerSock.sendto(("%s %s" % (ctime(), data.decode())).encode(), addr)
    print("...received from and returned to:", addr)
