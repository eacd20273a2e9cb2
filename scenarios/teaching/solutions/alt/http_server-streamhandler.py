"""HTTP server with socketserver, as the course's TCP server is written:
ThreadingTCPServer and a StreamRequestHandler that reads one request from
rfile by hand and writes the answer to wfile. It answers one request per
connection and says so (Connection: close), which HTTP/1.1 allows: the
client opens a new connection for its next request."""
import os
import socketserver
from urllib.parse import parse_qs, urlparse


class HelloHandler(socketserver.StreamRequestHandler):
    def handle(self):
        request_line = self.rfile.readline().decode("iso-8859-1").strip()
        while True:  # the headers, up to the empty line: a GET has no body
            line = self.rfile.readline()
            if line in (b"\r\n", b"\n", b""):
                break
        parts = request_line.split()
        if len(parts) != 3:
            return
        method, target, _version = parts
        url = urlparse(target)
        if method == "GET" and url.path == "/hello":
            name = parse_qs(url.query).get("name", [""])[0]
            self.reply("200 OK", "Hello, " + name + "!")
        else:
            self.reply("404 Not Found", "404 not found")

    def reply(self, status, text):
        body = text.encode("utf-8")
        self.wfile.write(("HTTP/1.1 " + status + "\r\n").encode("ascii"))
        self.wfile.write(b"Content-Type: text/plain; charset=utf-8\r\n")
        self.wfile.write(("Content-Length: %d\r\n" % len(body)).encode("ascii"))
        self.wfile.write(b"Connection: close\r\n\r\n")
        self.wfile.write(body)


socketserver.ThreadingTCPServer.allow_reuse_address = True
socketserver.ThreadingTCPServer.daemon_threads = True
ADDR = ("127.0.0.1", int(os.environ["PORT"]))
with socketserver.ThreadingTCPServer(ADDR, HelloHandler) as server:
    print("waiting for connection on", ADDR)
    server.serve_forever()
