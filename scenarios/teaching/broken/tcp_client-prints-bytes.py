"""BUG: the reply is printed as the bytes that recv() returns, without
decoding them: print(data) shows b'Received msg:...', with the b and the
quotes, not the text. Print data.decode().
"""
import os
import socket

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.settimeout(5)
client.connect((os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))
client.send("i love you".encode())
data = client.recv(1024)
print(data)
client.close()
