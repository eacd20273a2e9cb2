"""BUG (seed course): the chat client of the seed loops on input() and
leaves the loop only when the server says "bye". After the reply, the next
input() is empty, the empty message goes out, recv() gives b"" because the
server closed, and the input() after that fails with EOFError: the program
ends with status 1. Leave the loop on an empty input or an empty recv().
"""
import os
import socket

client = socket.socket()
client.connect((os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))

while True:
    sendData = input("message: ")
    client.send(sendData.encode("utf-8"))

    serverData = client.recv(1024)
    result = serverData.decode("utf-8")
    print("server says:", result)

    if result == "bye":
        break

client.close()
