"""Threaded echo server with plain sockets: accept() in a loop, and one
threading.Thread per client that answers every line with the same line."""
import os
import socket
import threading


def serve(conn, addr):
    with conn:
        f = conn.makefile("rb")
        while True:
            line = f.readline()
            if not line:  # the client closed
                break
            conn.sendall(line)
    print("closed:", addr)


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(os.environ["PORT"])))
server.listen(50)
while True:
    conn, addr = server.accept()
    t = threading.Thread(target=serve, args=(conn, addr))
    t.daemon = True
    t.start()
