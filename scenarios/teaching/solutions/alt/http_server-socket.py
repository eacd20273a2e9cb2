"""HTTP/1.1 server by hand on sockets: read the request line and the
headers, answer with a Content-Length, and keep reading requests on the
same connection until the client closes it. One thread per connection."""
import os
import socket
import threading
from urllib.parse import unquote_plus


def answer(status, text):
    body = text.encode("utf-8")
    head = "HTTP/1.1 %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % (status, len(body))
    return head.encode("ascii") + body


def serve(conn):
    with conn, conn.makefile("rb") as f:
        while True:
            request = f.readline().decode("latin-1").split()
            if len(request) < 2:
                return
            while f.readline() not in (b"\r\n", b"\n", b""):
                pass  # skip the headers (a GET has no body)
            path, _, query = request[1].partition("?")
            params = dict(p.partition("=")[::2] for p in query.split("&") if p)
            if request[0] == "GET" and path == "/hello":
                conn.sendall(answer("200 OK", "Hello, %s!" % unquote_plus(params.get("name", ""))))
            else:
                conn.sendall(answer("404 Not Found", "not found\n"))


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(os.environ["PORT"])))
server.listen(20)
while True:
    conn, addr = server.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
