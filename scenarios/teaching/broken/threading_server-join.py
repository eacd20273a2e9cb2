"""BUG: it starts a thread per client and then join()s it at once, as the
seed course's threading example does with its two threads: the main loop
waits for that client to finish before it accepts the next one, so the
server is single-threaded after all.
GRADING: the "second client within 2 s" check fails; about 3/5 remain.
HINT: do not join() the client's thread in the accept loop: start it and
go back to accept().
"""
import os
import socket
import threading


def serve(conn):
    for line in conn.makefile("rb"):
        conn.sendall(line)
    conn.close()


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(os.environ["PORT"])))
server.listen(50)
while True:
    conn, addr = server.accept()
    t = threading.Thread(target=serve, args=(conn,))
    t.start()
    t.join()
