"""Chat client in the seed course's style: a while loop around input(),
recv() for the reply, and a break after sending "bye"."""
import os
import socket

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect((os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))
while True:
    try:
        data = input()
    except EOFError:
        break
    client.send((data + "\n").encode("utf-8"))
    if data == "bye":
        break
    info = client.recv(1024).decode("utf-8")
    print(info.strip())
client.close()
