"""BUG: the answer is sent as a str; a socket sends bytes, so the server
dies at the first line with "TypeError: a bytes-like object is required,
not 'str'".
"""
import os
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(os.environ["PORT"])))
server.listen(5)

while True:
    conn, addr = server.accept()
    while True:
        text = conn.recv(1024).decode("utf-8").strip()
        conn.send("echo: %s\n" % text)
        if text == "bye":
            break
    conn.close()
