"""BUG: socketserver.TCPServer instead of ThreadingTCPServer: the handler
is right, but TCPServer runs one handler at a time, so while the first
client stays connected nobody else is served.
GRADING: the "second client within 2 s" check fails; about 3/5 remain.
HINT: socketserver.TCPServer serves one client at a time; use
socketserver.ThreadingTCPServer.
"""
import os
import socketserver


class EchoHandler(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(line)


socketserver.TCPServer.allow_reuse_address = True
server = socketserver.TCPServer(("127.0.0.1", int(os.environ["PORT"])), EchoHandler)
server.serve_forever()
