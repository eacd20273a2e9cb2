"""BUG: the server sends each line back as it came, without "echo: " in
front.
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
        text = line.rstrip("\r\n")
        conn.sendall(("%s\n" % text).encode("utf-8"))
        if text == "bye":
            break
    lines.close()
    conn.close()
