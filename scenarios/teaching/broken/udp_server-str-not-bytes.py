"""BUG: sendto() is given a str. In Python 3 a socket sends bytes, so the
server dies with "TypeError: a bytes-like object is required" at the first
datagram.
"""
import os
import socket

HOST = "127.0.0.1"
PORT = int(os.environ["PORT"])

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((HOST, PORT))
print("UDP server on %s:%d" % (HOST, PORT))

while True:
    data, addr = sock.recvfrom(1024)
    print("received %r from %s" % (data, addr))
    if data.decode("utf-8", "replace").strip() == "i love you":
        sock.sendto("i love me", addr)
