"""Chat client as a student writes it for a person at the keyboard: a
"> " prompt from input(), the reply printed after a Chinese label, one
recv() per line (the server answers each line with one line)."""
import os
import socket

s = socket.socket()
s.connect((os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))
while True:
    try:
        msg = input("> ")
    except EOFError:
        break
    s.sendall((msg + "\n").encode("utf-8"))
    if msg == "bye":
        break
    reply = s.recv(4096).decode("utf-8").strip()
    print("服务器回复：" + reply)
s.close()
