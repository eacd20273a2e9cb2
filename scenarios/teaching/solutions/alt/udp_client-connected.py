"""UDP client with a connected socket in a with block: connect() fixes the
server, then send() and recv() instead of sendto() and recvfrom().
"""
import os
import socket

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
    sock.settimeout(5)
    sock.connect((os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))
    sock.send(b"i love you")
    print(sock.recv(1024).decode())
