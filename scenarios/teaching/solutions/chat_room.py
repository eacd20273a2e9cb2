"""Chat room: on 127.0.0.1:PORT, every line a client sends goes, unchanged,
to every other connected client, and not back to its sender. One thread per
client; the list of clients is shared, so a lock guards it."""
import os
import socket
import threading

clients = []
lock = threading.Lock()


def broadcast(line, sender):
    with lock:
        others = [c for c in clients if c is not sender]
    for c in others:
        try:
            c.sendall(line)
        except OSError:
            pass  # that client has gone; its own thread removes it


def serve(conn, addr):
    print("joined:", addr)
    with lock:
        clients.append(conn)
    try:
        for line in conn.makefile("rb"):
            broadcast(line, conn)
    except OSError:
        pass
    finally:
        with lock:
            clients.remove(conn)
        conn.close()
        print("left:", addr)


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(os.environ["PORT"])))
server.listen(20)
print("chat room on 127.0.0.1:%s" % os.environ["PORT"])
while True:
    conn, addr = server.accept()
    threading.Thread(target=serve, args=(conn, addr), daemon=True).start()
