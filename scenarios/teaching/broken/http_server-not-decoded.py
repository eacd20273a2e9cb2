"""BUG: the name is cut out of the raw path with split() and never
URL-decoded: /hello?name=%E5%BC%A0%E4%B8%89 answers "Hello, %E5%BC%A0%E4%B8%89!"
instead of "Hello, 张三!" (an ASCII name works).
GRADING: the ASCII name, the 404, the Content-Type and the second request
pass; "the Chinese name, decoded" fails; about 4/6 remain.
HINT: a query string is URL-encoded: decode the name with
urllib.parse.parse_qs or unquote before putting it in the answer.
"""
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class HelloHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path.startswith("/hello?name="):
            name = self.path.split("=", 1)[1]
            status, body = 200, ("Hello, %s!" % name).encode("utf-8")
        else:
            status, body = 404, b"Not Found"
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), HelloHandler)
server.serve_forever()
