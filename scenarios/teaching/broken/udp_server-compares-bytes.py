"""BUG: the datagram is bytes and is compared with a str: in Python 3
b"i love you" == "i love you" is False, so the server never answers.
Decode it first (data.decode()), or compare with b"i love you".
"""
import os
import socket

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("127.0.0.1", int(os.environ["PORT"])))

while True:
    data, addr = sock.recvfrom(1024)
    print("received", data, "from", addr)
    if data == "i love you":
        sock.sendto("i love me".encode(), addr)
