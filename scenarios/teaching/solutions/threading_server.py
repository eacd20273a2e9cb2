"""Threaded echo server: on 127.0.0.1:PORT, every connection gets a thread
of its own that answers every line with the same line, until the client
closes. socketserver.ThreadingTCPServer starts one thread per client, so a
silent client never keeps the others waiting."""
import os
import socketserver


class EchoHandler(socketserver.StreamRequestHandler):
    def handle(self):
        print("connected:", self.client_address)
        for line in self.rfile:  # ends when the client closes
            self.wfile.write(line)
        print("closed:", self.client_address)


socketserver.ThreadingTCPServer.allow_reuse_address = True
socketserver.ThreadingTCPServer.daemon_threads = True
server = socketserver.ThreadingTCPServer(("127.0.0.1", int(os.environ["PORT"])), EchoHandler)
print("threading echo server on 127.0.0.1:%s" % os.environ["PORT"])
server.serve_forever()
