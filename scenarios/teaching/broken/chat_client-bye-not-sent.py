"""BUG: the program checks for "bye" before sending it: it closes the
connection without ever sending "bye" to the server.
GRADING: the replies are printed and the exit status is 0, but the server
never gets "bye": the "bye is sent, then the connection closes" check
fails; about 4/5 remain.
HINT: send "bye" first, then close: the server must see it.
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
    if data == "bye":
        break
    client.send((data + "\n").encode("utf-8"))
    print(client.recv(1024).decode("utf-8").strip())
client.close()
