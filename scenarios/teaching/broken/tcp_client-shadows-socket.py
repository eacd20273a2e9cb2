"""BUG (seed course): "socket = socket.socket(...)" rebinds the name of the
module to the new socket object. The message goes out, but the next use of
the module (socket.SHUT_WR) fails with "AttributeError: 'socket' object has
no attribute 'SHUT_WR'" and the reply is never printed.
"""
import os
import socket

HOST = os.environ["SERVER_HOST"]
PORT = int(os.environ["SERVER_PORT"])

socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
socket.settimeout(5)
socket.connect((HOST, PORT))
socket.sendall("i love you".encode("utf-8"))
socket.shutdown(socket.SHUT_WR)  # nothing more to send

reply = b""
while True:
    data = socket.recv(1024)
    if not data:  # the server closed the connection
        break
    reply += data
print(reply.decode("utf-8"))
socket.close()
