"""TCP client: connect, send "i love you", print the reply, close."""
import os
import socket

HOST = os.environ["SERVER_HOST"]
PORT = int(os.environ["SERVER_PORT"])

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.settimeout(5)
client.connect((HOST, PORT))
client.sendall("i love you".encode("utf-8"))
client.shutdown(socket.SHUT_WR)  # nothing more to send

reply = b""
while True:
    data = client.recv(1024)
    if not data:  # the server closed the connection
        break
    reply += data
print(reply.decode("utf-8"))
client.close()
