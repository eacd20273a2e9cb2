"""BUG: self.rfile.read() reads until the client closes the connection,
not one line: the client waits for its reply and the handler waits for
the end of the data, so no reply ever comes. Read one line with
self.rfile.readline().
"""
import os
import socketserver
from time import ctime

HOST = "127.0.0.1"
PORT = int(os.environ["PORT"])


class TimestampHandler(socketserver.StreamRequestHandler):
    def handle(self):
        data = self.rfile.read().decode("utf-8")
        self.wfile.write(("%s %s" % (ctime(), data)).encode("utf-8"))


socketserver.ThreadingTCPServer.allow_reuse_address = True
server = socketserver.ThreadingTCPServer((HOST, PORT), TimestampHandler)
server.serve_forever()
