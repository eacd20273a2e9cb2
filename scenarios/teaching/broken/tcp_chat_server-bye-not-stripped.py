"""BUG: the line is compared with "bye" before its line ending is removed, so
"bye\n" never equals "bye" and the server never closes the connection.
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
    lines = conn.makefile("r", encoding="utf-8", newline="")
    for line in lines:
        conn.sendall(("echo: %s" % line).encode("utf-8"))
        if line == "bye":
            break
    lines.close()
    conn.close()
