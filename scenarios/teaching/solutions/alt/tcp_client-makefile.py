"""TCP client that sends with sendall(), then reads the whole reply, until
the server closes, through a file made on the socket (makefile), and
closes explicitly.
"""
import os
import socket

client = socket.socket()
client.connect((os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))
client.sendall(bytes("i love you", encoding="utf-8"))
reply = client.makefile("rb").read()
print(str(reply, "utf-8"))
client.close()
