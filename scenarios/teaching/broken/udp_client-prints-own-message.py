"""BUG: the program receives the reply but prints the message it sent.
"""
import os
import socket

HOST = os.environ["SERVER_HOST"]
PORT = int(os.environ["SERVER_PORT"])

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.settimeout(5)
message = "i love you"
sock.sendto(message.encode("utf-8"), (HOST, PORT))
data, addr = sock.recvfrom(1024)
print(message)
sock.close()
