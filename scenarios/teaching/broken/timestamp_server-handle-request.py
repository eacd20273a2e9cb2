"""BUG: server.handle_request() serves one request and returns, so the
program ends after its first client; serve_forever() serves them all.
"""
import os
import socketserver
from time import ctime

HOST = "127.0.0.1"
PORT = int(os.environ["PORT"])


class TimestampHandler(socketserver.StreamRequestHandler):
    def handle(self):
        data = self.rfile.readline().decode("utf-8")
        self.wfile.write(("%s %s" % (ctime(), data)).encode("utf-8"))


socketserver.TCPServer.allow_reuse_address = True
server = socketserver.TCPServer((HOST, PORT), TimestampHandler)
print("waiting for connection...")
server.handle_request()
server.server_close()
