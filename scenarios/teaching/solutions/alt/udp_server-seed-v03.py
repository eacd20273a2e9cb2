"""The seed course's UDP server, case v03: serverFunc() makes a socket,
binds it, answers one datagram and returns, and the main program calls it
in a while True loop, so each datagram gets a fresh socket on the same
port (the old one is closed when the function returns).
"""
import os
import socket

PORT = int(os.environ["PORT"])


def serverFunc():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    addr = ("127.0.0.1", PORT)
    sock.bind(addr)
    data, addr = sock.recvfrom(500)
    print(data)
    print(addr)
    text = data.decode()
    print(type(text))
    print(text)
    rsp = "i love me"
    data = rsp.encode()
    sock.sendto(data, addr)


if __name__ == "__main__":
    while True:
        serverFunc()
