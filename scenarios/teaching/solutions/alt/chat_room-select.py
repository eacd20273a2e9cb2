"""Chat room in one thread with select(): the listening socket and every
client are watched together; a client's bytes are cut into lines, and each
whole line goes to every other client."""
import os
import select
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(os.environ["PORT"])))
server.listen(20)
buffers = {}  # client socket -> bytes received but not yet a whole line

while True:
    readable, _, _ = select.select([server] + list(buffers), [], [])
    for sock in readable:
        if sock is server:
            conn, addr = server.accept()
            buffers[conn] = b""
            continue
        try:
            data = sock.recv(4096)
        except OSError:
            data = b""
        if not data:  # this client left
            del buffers[sock]
            sock.close()
            continue
        buffers[sock] += data
        while b"\n" in buffers[sock]:
            line, buffers[sock] = buffers[sock].split(b"\n", 1)
            for other in list(buffers):
                if other is not sock:
                    try:
                        other.sendall(line + b"\n")
                    except OSError:
                        pass
