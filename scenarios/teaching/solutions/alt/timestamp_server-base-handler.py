"""Timestamp server on socketserver.TCPServer (one client at a time) with a
BaseRequestHandler: recv() on self.request, the line stripped, the reply
sent with sendall() without a newline. socketserver closes the connection
when handle() returns.
"""
import os
import socketserver
import time


class TimestampHandler(socketserver.BaseRequestHandler):
    def handle(self):
        data = self.request.recv(1024).decode("utf-8").strip()
        reply = time.ctime() + " " + data
        self.request.sendall(reply.encode("utf-8"))


if __name__ == "__main__":
    port = int(os.environ["PORT"])
    socketserver.TCPServer.allow_reuse_address = True
    with socketserver.TCPServer(("127.0.0.1", port), TimestampHandler) as server:
        server.serve_forever()
