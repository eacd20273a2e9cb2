"""BUG: time.time() gives seconds since 1970 as a float
(1718000000.123), not the readable time.ctime() the protocol asks for.
"""
import os
import socketserver
import time

HOST = "127.0.0.1"
PORT = int(os.environ["PORT"])


class TimestampHandler(socketserver.StreamRequestHandler):
    def handle(self):
        print("connected from", self.client_address)
        data = self.rfile.readline().decode("utf-8")
        self.wfile.write(("%s %s" % (time.time(), data)).encode("utf-8"))


socketserver.TCPServer.allow_reuse_address = True
server = socketserver.ThreadingTCPServer((HOST, PORT), TimestampHandler)
print("waiting for connection...")
server.serve_forever()
