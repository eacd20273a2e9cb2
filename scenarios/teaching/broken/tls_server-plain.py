"""BUG: the TLS part is missing: the certificate is never loaded and the
socket is never wrapped, so the server answers in clear text, to a
plain-text client too.
GRADING: netrun's TLS handshake fails, so every check over TLS fails, and
"a plain-text client is refused" fails too: 0/4.
HINT: load CERT_FILE and KEY_FILE into an ssl.SSLContext(PROTOCOL_TLS_SERVER)
and wrap each accepted connection with context.wrap_socket(conn,
server_side=True).
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
server.listen(5)
while True:
    conn, addr = server.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
