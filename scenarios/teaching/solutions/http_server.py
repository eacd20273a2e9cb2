"""HTTP/1.1 server on 127.0.0.1:PORT with http.server: GET /hello?name=NAME
answers 200, text/plain; charset=utf-8, "Hello, NAME!" (NAME URL-decoded);
every other path answers 404. Content-Length on every answer keeps the
connection open for the next request."""
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class HelloHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path != "/hello":
            self.answer(404, "Not Found\n")
            return
        name = parse_qs(url.query).get("name", [""])[0]  # parse_qs URL-decodes
        self.answer(200, "Hello, %s!" % name)

    def answer(self, status, text):
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


ThreadingHTTPServer.allow_reuse_address = True
server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), HelloHandler)
print("HTTP server on 127.0.0.1:%s" % os.environ["PORT"])
server.serve_forever()
