"""BUG: the server reads once, answers once and closes: a chat needs a loop
over the lines of the connection.
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
    print("connected from", addr)
    text = conn.recv(1024).decode("utf-8").strip()
    conn.sendall(("echo: %s\n" % text).encode("utf-8"))
    conn.close()
