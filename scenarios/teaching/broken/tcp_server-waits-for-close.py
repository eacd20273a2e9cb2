"""BUG: the server reads until the client closes (recv() returns b"")
before it replies; the client waits for the reply and never closes, so
no reply comes. The message is what one recv() gives.
"""
import os
import socket

HOST = "127.0.0.1"
PORT = int(os.environ["PORT"])

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((HOST, PORT))
server.listen(5)

while True:
    conn, addr = server.accept()
    data = b""
    while True:
        chunk = conn.recv(1024)
        if not chunk:
            break
        data += chunk
    msg = data.decode()
    try:
        conn.sendall(("Received msg:%s from %s" % (msg, addr)).encode())
    except OSError:
        pass
    conn.close()
