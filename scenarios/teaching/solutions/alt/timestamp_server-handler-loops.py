"""Timestamp server, in the style of the seed course's TCP timestamp server:
the handler answers every line the client sends and keeps the connection
open until the client closes it (readline() then gives b""). Each reply
ends with the line received, newline included.
"""
import os
import socketserver
from time import ctime

PORT = int(os.environ["PORT"])


class MyRequestHandler(socketserver.StreamRequestHandler):
    def handle(self):
        print("...connected from:", self.client_address)
        while True:
            data = self.rfile.readline()
            if not data:
                break
            self.wfile.write(("%s %s" % (ctime(), data.decode())).encode())


socketserver.ThreadingTCPServer.allow_reuse_address = True
tcpServ = socketserver.ThreadingTCPServer(("127.0.0.1", PORT), MyRequestHandler)
print("waiting for connection...")
tcpServ.serve_forever()
