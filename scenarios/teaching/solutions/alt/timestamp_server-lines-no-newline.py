"""Timestamp server whose handler iterates over the lines of self.rfile and
answers each one, stripped, with no newline at the end of the reply; the
connection stays open until the client closes it.
"""
import os
import socketserver
from time import ctime


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            text = line.decode("utf-8").rstrip("\r\n")
            self.wfile.write(("%s %s" % (ctime(), text)).encode("utf-8"))
            self.wfile.flush()


server = socketserver.ThreadingTCPServer(("127.0.0.1", int(os.environ["PORT"])), Handler)
server.daemon_threads = True
server.serve_forever()
