"""Timestamp server built on socketserver: reply to each line with the
current time, as time.ctime() writes it, a space, then the line received."""
import os
import socketserver
from time import ctime

HOST = "127.0.0.1"
PORT = int(os.environ["PORT"])


class TimestampHandler(socketserver.StreamRequestHandler):
    def handle(self):
        print("connected from", self.client_address)
        data = self.rfile.readline().decode("utf-8")
        self.wfile.write(("%s %s" % (ctime(), data)).encode("utf-8"))


socketserver.TCPServer.allow_reuse_address = True
server = socketserver.ThreadingTCPServer((HOST, PORT), TimestampHandler)
print("waiting for connection...")
server.serve_forever()
