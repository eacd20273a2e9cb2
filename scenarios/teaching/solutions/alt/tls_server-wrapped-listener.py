"""TLS echo server that wraps the listening socket: accept() then does the
handshake, so a client that does not speak TLS makes accept() raise; the
loop catches that and goes on. socketserver-style handling in threads."""
import os
import socket
import ssl
import threading

context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(certfile=os.environ["CERT_FILE"], keyfile=os.environ["KEY_FILE"])


def echo(conn):
    with conn:
        f = conn.makefile("rb")
        for line in f:
            conn.sendall(line)


sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", int(os.environ["PORT"])))
sock.listen(5)
with context.wrap_socket(sock, server_side=True) as server:
    while True:
        try:
            conn, addr = server.accept()
        except (ssl.SSLError, OSError) as e:
            print("handshake failed:", e)
            continue
        threading.Thread(target=echo, args=(conn,), daemon=True).start()
