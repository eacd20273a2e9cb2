"""UDP server on socketserver.UDPServer: for a UDP server, self.request is
the pair (data, socket); the answer goes out through that socket, which is
the one the server bound, to self.client_address.
"""
import os
import socketserver


class LoveHandler(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        print("received %r from %s" % (data, self.client_address))
        if data.strip() == b"i love you":
            sock.sendto(b"i love me", self.client_address)


with socketserver.UDPServer(("127.0.0.1", int(os.environ["PORT"])), LoveHandler) as server:
    server.serve_forever()
