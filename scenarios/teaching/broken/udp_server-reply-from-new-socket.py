"""BUG: the reply goes out through a new socket, so it comes from another
port than the one the client wrote to. A client that connect()ed its UDP
socket to the server never sees it: answer on the socket you bound.
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
        reply = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        reply.sendto("i love me".encode("utf-8"), addr)
        reply.close()
