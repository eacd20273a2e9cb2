"""TCP server on socketserver: a BaseRequestHandler reads the message with
recv() on self.request and answers with send(); socketserver closes the
connection when handle() returns, and serve_forever() serves client after
client.
"""
import os
import socketserver


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        msg = self.request.recv(1024).decode("utf-8")
        print("Received msg:%s from %s" % (msg, self.client_address))
        self.request.send(("Received msg:%s from %s" % (msg, self.client_address)).encode("utf-8"))


socketserver.TCPServer.allow_reuse_address = True
with socketserver.TCPServer(("127.0.0.1", int(os.environ["PORT"])), Handler) as server:
    server.serve_forever()
