"""The seed course's UDP client, case v02: a function that sends
"i love you", receives the answer with recvfrom() and prints it.
"""
import os
import socket


def clientFunc():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    text = "i love you"
    data = text.encode()
    sock.sendto(data, (os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))
    data, addr = sock.recvfrom(200)
    data = data.decode()
    print(data)


if __name__ == "__main__":
    clientFunc()
