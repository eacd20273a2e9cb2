"""BUG: it says HTTP/1.1 (keep-alive) but sends no Content-Length: the
client cannot tell where the body ends, so it waits for the connection to
close, which never happens; nothing on the connection ever completes.
GRADING: every request times out on the body: only a status line is
seen; about 0-1/6 remain (a client that reads the status only may count
the 404).
HINT: with HTTP/1.1 every answer needs a Content-Length header (the length
of the body in bytes, after encoding), or the connection must be closed.
"""
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class HelloHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/hello":
            name = parse_qs(url.query).get("name", [""])[0]
            self.send_response(200)
            body = "Hello, %s!" % name
        else:
            self.send_response(404)
            body = "Not Found"
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode("utf-8"))


server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), HelloHandler)
server.serve_forever()
