"""BUG: the reply is sent as a str. In Python 3 a socket sends bytes, so
the server dies at its first client with "TypeError: a bytes-like object
is required, not 'str'": encode the reply first.
"""
import os
import socket

HOST = "127.0.0.1"
PORT = int(os.environ["PORT"])

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((HOST, PORT))
server.listen(5)

while True:
    conn, addr = server.accept()
    msg = conn.recv(1024).decode()
    conn.send("Received msg:{0} from {1}".format(msg, addr))
    conn.close()
