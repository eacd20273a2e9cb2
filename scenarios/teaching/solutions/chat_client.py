"""Chat client: connect to SERVER_HOST:SERVER_PORT; for each line read from
stdin, send it and print the reply line; after sending the line "bye",
close and end."""
import os
import socket
import sys

sock = socket.create_connection((os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])), timeout=10)
replies = sock.makefile("r", encoding="utf-8", newline="\n")
for line in sys.stdin:
    text = line.rstrip("\r\n")
    sock.sendall((text + "\n").encode("utf-8"))
    if text == "bye":
        break  # "bye" is sent: close without waiting for an answer
    reply = replies.readline()
    if not reply:
        break  # the server closed the connection
    print(reply.rstrip("\r\n"))
sock.close()
