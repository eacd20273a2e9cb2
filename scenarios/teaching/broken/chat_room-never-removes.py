"""BUG: a client that leaves stays in the list: its thread closes the
socket but never removes it, so the next line anybody sends reaches the
closed socket, sendall() raises (OSError: Bad file descriptor) in the
sender's thread, and that thread dies: the sender's later lines are never
read. Whether the others get that first line depends on the list order.
GRADING: deterministic once a client has left: the lines sent after the
leave do not all arrive, so "a client that leaves does not break the room"
fails (send two lines or more after the leave); if anything connects and
closes before the clients (a readiness probe), the room is broken from
the start and every forwarding check fails. About 4/5 remain without a
probe, 1/5 with one.
HINT: when a client's connection ends (recv returns b""), remove it from
the list of clients; catch OSError when sending to one client so the
others still get the line.
"""
import os
import socket
import threading

clients = []


def serve(conn):
    clients.append(conn)
    while True:
        data = conn.recv(1024)
        if not data:
            break
        for c in clients:
            if c is not conn:
                c.sendall(data)
    conn.close()


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(os.environ["PORT"])))
server.listen(20)
while True:
    conn, addr = server.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
