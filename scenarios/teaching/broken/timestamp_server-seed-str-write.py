"""BUG (seed course): the handler of the course's socketserver example,
written for Python 2: self.wfile.write('%s %s' % (ctime(), line)) gives
write() a str. In Python 3 a socket file takes bytes, so every handler
fails with "TypeError: a bytes-like object is required, not 'str'" and
socketserver closes the connection without a reply (the bytes read are
not decoded either).
"""
import os
from socketserver import TCPServer as TCP, StreamRequestHandler as SRH
from time import ctime

HOST = "127.0.0.1"
PORT = int(os.environ["PORT"])
ADDR = (HOST, PORT)


class MyRequestHandler(SRH):
    def handle(self):
        print("...connected from:", self.client_address)
        self.wfile.write("%s %s" % (ctime(), self.rfile.readline()))


TCP.allow_reuse_address = True
tcpServ = TCP(ADDR, MyRequestHandler)
print("waiting for connection...")
tcpServ.serve_forever()
