"""BUG: Content-Length is len() of the str, not of the UTF-8 bytes: for
"Hello, 张三!" it says 10 while the body is 14 bytes. The client reads 10
bytes (the answer is cut to "Hello, 张"), and
the 4 bytes left over sit before the next answer on the same connection.
GRADING: the ASCII name, the 404 and the Content-Type pass; the Chinese
name fails (a cut body). netrun's client (Go's net/http) sees the 4 bytes
left over as an unsolicited answer, drops that connection and sends the
next request on a new one, so the later requests pass: 5/6.
HINT: Content-Length counts bytes: encode the body first, then send
len(body_bytes).
"""
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class HelloHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path != "/hello":
            self.send_error(404)
            return
        text = "Hello, %s!" % parse_qs(url.query).get("name", [""])[0]
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text.encode("utf-8"))


server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), HelloHandler)
server.serve_forever()
