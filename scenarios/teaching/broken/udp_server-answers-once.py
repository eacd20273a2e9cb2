"""BUG (seed course): the server answers the first datagram, then closes its
socket and ends. recvfrom and sendto must sit inside a while True loop.
"""
import os
import socket

HOST = "127.0.0.1"
PORT = int(os.environ["PORT"])

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((HOST, PORT))
print("UDP server on %s:%d" % (HOST, PORT))

data, addr = sock.recvfrom(1024)
print("received %r from %s" % (data, addr))
if data.decode("utf-8", "replace").strip() == "i love you":
    sock.sendto("i love me".encode("utf-8"), addr)
sock.close()
