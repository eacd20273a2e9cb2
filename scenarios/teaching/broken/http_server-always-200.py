"""BUG: every path gets the greeting with 200: /nothing/here answers
"Hello, !" instead of 404.
GRADING: the 404 check fails; about 5/6 remain.
HINT: look at the path: only /hello is a page; answer anything else with
self.send_error(404) or a 404 status.
"""
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class HelloHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        name = parse_qs(urlsplit(self.path).query).get("name", [""])[0]
        body = ("Hello, %s!" % name).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), HelloHandler)
server.serve_forever()
