"""BUG: every line goes to every client, its sender too: the sender sees
its own line come back.
GRADING: "lines reach the other two" passes, "not back to the sender"
fails; about 4/5 remain.
HINT: send each line to the other clients only: skip the connection it
came from.
"""
import os
import socket
import threading

clients = []


def serve(conn):
    clients.append(conn)
    for line in conn.makefile("rb"):
        for c in clients:
            c.sendall(line)
    clients.remove(conn)
    conn.close()


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(os.environ["PORT"])))
server.listen(20)
while True:
    conn, addr = server.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
