"""BUG: the reply is built and sent before the message is read, so it holds
an empty message ("Received msg: from ..."); recv() comes first.
"""
import os
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(os.environ["PORT"])))
server.listen(5)

while True:
    conn, addr = server.accept()
    msg = ""
    conn.sendall(("Received msg:%s from %s" % (msg, addr)).encode())
    msg = conn.recv(1024).decode()
    print("got", msg)
    conn.close()
