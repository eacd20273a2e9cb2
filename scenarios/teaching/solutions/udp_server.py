"""UDP server: answer every datagram "i love you" with "i love me".

The server listens on 127.0.0.1 and the port in the PORT environment
variable, and answers each datagram to the address it came from, for as
long as it runs.
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
        sock.sendto("i love me".encode("utf-8"), addr)
