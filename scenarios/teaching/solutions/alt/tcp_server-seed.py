"""The seed course's TCP server, with its two bugs fixed (accept() is
called, and recv() is called on the connection it returns): a function
that serves one client after another, send() and close() on each.
"""
import os
import socket


def serverFunc():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    addr = ("127.0.0.1", int(os.environ["PORT"]))
    sock.bind(addr)
    sock.listen()
    while True:
        skt, addr = sock.accept()
        msg = skt.recv(500)
        msg = msg.decode()
        rst = "Received msg:{0} from {1}".format(msg, addr)
        print(rst)
        skt.send(rst.encode())
        skt.close()


if __name__ == "__main__":
    print("Starting server......")
    serverFunc()
    print("Ending server......")
