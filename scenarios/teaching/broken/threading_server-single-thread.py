"""BUG: a single-threaded server: it serves one client until that client
closes, and only then accepts the next one. A silent first client blocks
everybody else.
GRADING: the check "a second client gets its answer within 2 s while the
first is connected" fails (and the 20-clients-at-once check, which comes
after the first client is closed, may pass); about 3/5 remain.
HINT: serve each client in a thread of its own (threading.Thread per
accept(), or socketserver.ThreadingTCPServer).
"""
import os
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(os.environ["PORT"])))
server.listen(50)
while True:
    conn, addr = server.accept()
    f = conn.makefile("rb")
    for line in f:
        conn.sendall(line)
    conn.close()
