"""TCP client with socket.create_connection() in a with block: one send()
and one recv(), and the with block closes the socket.
"""
import os
import socket

addr = (os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"]))
with socket.create_connection(addr, timeout=5) as sock:
    sock.send(b"i love you")
    data = sock.recv(1024)
    print(data.decode())
