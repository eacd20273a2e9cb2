"""BUG: one thread, blocking recv(): the server reads from each client in
turn, so it waits on a silent client while the others' lines pile up; a
new client is only accepted after everybody has spoken.
GRADING: only the first client is accepted before the loop blocks in
recv(); lines from the second and third clients never reach the others:
about 1/5 remain (the "not back to the sender" check).
HINT: a blocking recv() on one client stops the whole room: give each
client a thread, or watch them all with select().
"""
import os
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(os.environ["PORT"])))
server.listen(20)
clients = []
while True:
    conn, addr = server.accept()
    clients.append(conn)
    for c in clients:
        data = c.recv(1024)
        for other in clients:
            if other is not c:
                other.sendall(data)
