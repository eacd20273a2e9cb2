"""TCP server: for each connection, read one message, reply with a text
that contains it, then close the connection. It serves one client after
another, for as long as it runs."""
import os
import socket

HOST = "127.0.0.1"
PORT = int(os.environ["PORT"])

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((HOST, PORT))
server.listen(5)
print("TCP server on %s:%d" % (HOST, PORT))

while True:
    conn, addr = server.accept()
    data = conn.recv(1024)
    msg = data.decode("utf-8", "replace")
    print("Received msg:%s from %s" % (msg, addr))
    conn.sendall(("Received msg:%s from %s" % (msg, addr)).encode("utf-8"))
    conn.close()
