"""BUG: input() takes the newline off, and the program sends the text
without putting one back: a line-based server keeps waiting for the end
of the line and never answers.
GRADING: the server never gets a whole line, so no reply is printed and
the program waits in recv() until it is stopped: "lines sent", "replies
printed" and "exit status 0" fail; only the connection counts, about 1/5.
HINT: a line ends with "\n": send (text + "\n").encode().
"""
import os
import socket

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect((os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))
while True:
    try:
        data = input()
    except EOFError:
        break
    client.send(data.encode("utf-8"))
    if data == "bye":
        break
    print(client.recv(1024).decode("utf-8").strip())
client.close()
