"""BUG: the listening socket is wrapped, so accept() does the handshake;
a client that does not speak TLS makes accept() raise ssl.SSLError, and
nothing catches it: the server ends.
GRADING: the TLS echo checks that come before the plain-text client pass;
the plain client is refused (the server crashes on it), but every check
after it fails (connection refused); with the scenario's order (TLS,
plain, TLS again) about 3/4 remain.
HINT: a bad client must not stop the server: catch ssl.SSLError (and
OSError) around accept() or the handshake, and go on.
"""
import os
import socket
import ssl
import threading

context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(os.environ["CERT_FILE"], os.environ["KEY_FILE"])


def serve(conn):
    for line in conn.makefile("rb"):
        conn.sendall(line)
    conn.close()


sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", int(os.environ["PORT"])))
sock.listen(5)
server = context.wrap_socket(sock, server_side=True)
while True:
    conn, addr = server.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
