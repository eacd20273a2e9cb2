"""TCP server with `with` blocks: the listening socket and each connection
are closed by their with statement. The message is read as one line from
a file made on the connection (makefile), and the reply is sent with
sendall().
"""
import os
import socket

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", int(os.environ["PORT"])))
    server.listen()
    while True:
        conn, addr = server.accept()
        with conn, conn.makefile("rb") as f:
            msg = f.readline().decode("utf-8").strip()
            conn.sendall(("Received msg:{0} from {1}".format(msg, addr)).encode())
