"""BUG: it prints what recv() returns without decoding it: b'echo: hello\n'.
GRADING: the lines are sent and the connection closes after bye, exit 0,
but "the replies are printed in order" fails (the printed lines are
b'...' reprs); about 3/5 remain.
HINT: recv() gives bytes: decode them (.decode("utf-8")) and take the
newline off before printing.
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
    client.send((data + "\n").encode("utf-8"))
    if data == "bye":
        break
    print(client.recv(1024))
client.close()
