"""UDP client: send "i love you" to the server and print its reply."""
import os
import socket

HOST = os.environ["SERVER_HOST"]
PORT = int(os.environ["SERVER_PORT"])

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.settimeout(5)
sock.sendto("i love you".encode("utf-8"), (HOST, PORT))
data, addr = sock.recvfrom(1024)
print(data.decode("utf-8"))
sock.close()
