"""UDP server in a with block, answering with a newline at the end of the
datagram ("i love me\n"), from a recvfrom() loop.
"""
import os
import socket

ADDR = ("127.0.0.1", int(os.environ["PORT"]))

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
    sock.bind(ADDR)
    while True:
        data, addr = sock.recvfrom(500)
        text = data.decode()
        print(text, addr)
        if text.strip() == "i love you":
            sock.sendto("i love me\n".encode(), addr)
