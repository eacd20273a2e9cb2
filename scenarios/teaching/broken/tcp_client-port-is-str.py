"""BUG: the port is left as the str that os.environ holds; connect() needs an
int and the program dies with a TypeError before it connects.
"""
import os
import socket

HOST = os.environ["SERVER_HOST"]
PORT = os.environ["SERVER_PORT"]

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.settimeout(5)
client.connect((HOST, PORT))
client.sendall("i love you".encode("utf-8"))
client.shutdown(socket.SHUT_WR)  # nothing more to send

reply = b""
while True:
    data = client.recv(1024)
    if not data:  # the server closed the connection
        break
    reply += data
print(reply.decode("utf-8"))
client.close()
