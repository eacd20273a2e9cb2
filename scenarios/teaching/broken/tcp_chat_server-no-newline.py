"""BUG (seed course): each answer is sent without a newline at its end,
as the seed's chat server sends what it replies; a client that reads
lines waits for the end of the line.
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
    while True:
        data = conn.recv(1024)
        if not data:
            break
        text = data.decode("utf-8").strip()
        conn.send(("echo: " + text).encode("utf-8"))
        if text == "bye":
            break
    conn.close()
