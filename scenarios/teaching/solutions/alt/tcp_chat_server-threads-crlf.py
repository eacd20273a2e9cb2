"""Chat server with one thread per client (threading), reading lines
with makefile() and answering with CRLF line endings ("echo: X\r\n")
through sendall(); the connection is shut down and closed after "bye".
"""
import os
import socket
import threading


def chat(conn, addr):
    with conn, conn.makefile("r", encoding="utf-8", newline="\n") as lines:
        for line in lines:
            text = line.rstrip("\r\n")
            conn.sendall(("echo: %s\r\n" % text).encode("utf-8"))
            if text == "bye":
                conn.shutdown(socket.SHUT_RDWR)
                break


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(os.environ["PORT"])))
server.listen(5)
while True:
    conn, addr = server.accept()
    threading.Thread(target=chat, args=(conn, addr), daemon=True).start()
