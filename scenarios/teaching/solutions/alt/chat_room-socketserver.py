"""Chat room on socketserver.ThreadingTCPServer: the handlers share a set of
the connected clients' write files; each line goes to all the others."""
import os
import socketserver
import threading

clients = set()
lock = threading.Lock()


class ChatHandler(socketserver.StreamRequestHandler):
    def handle(self):
        with lock:
            clients.add(self.wfile)
        try:
            for line in self.rfile:
                with lock:
                    others = [w for w in clients if w is not self.wfile]
                for w in others:
                    try:
                        w.write(line)
                    except OSError:
                        pass
        finally:
            with lock:
                clients.discard(self.wfile)


socketserver.ThreadingTCPServer.allow_reuse_address = True
socketserver.ThreadingTCPServer.daemon_threads = True
server = socketserver.ThreadingTCPServer(("127.0.0.1", int(os.environ["PORT"])), ChatHandler)
server.serve_forever()
