"""BUG: the program prints what recvfrom() returns, the tuple (data,
address): print(sock.recvfrom(1024)) shows (b'i love me', ('127.0.0.1',
24011)), the bytes and the sender's address, not the text of the reply.
Take the tuple apart, data, addr = sock.recvfrom(1024), and print
data.decode().
"""
import os
import socket

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.settimeout(5)
sock.sendto(b"i love you", (os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))
print(sock.recvfrom(1024))
sock.close()
