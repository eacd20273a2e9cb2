"""Chat server on socketserver: a StreamRequestHandler iterates over the
lines of self.rfile, answers each with "echo: X", and returns after "bye"
(socketserver then closes the connection). ThreadingTCPServer serves
clients side by side.
"""
import os
import socketserver


class ChatHandler(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            text = line.decode("utf-8").strip()
            self.wfile.write(("echo: " + text + "\n").encode("utf-8"))
            if text == "bye":
                return


socketserver.ThreadingTCPServer.allow_reuse_address = True
server = socketserver.ThreadingTCPServer(("127.0.0.1", int(os.environ["PORT"])), ChatHandler)
server.serve_forever()
