"""BUG: send() is given a str. A socket sends bytes, so the client dies with
"TypeError: a bytes-like object is required, not 'str'" right after it
connects: encode the text first.
"""
import os
import socket

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect((os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))
client.send("i love you")
print(client.recv(1024).decode())
client.close()
