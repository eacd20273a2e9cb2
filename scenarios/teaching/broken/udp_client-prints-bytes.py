"""BUG (seed course): as the seed's UDP server does with what it receives,
the client prints the data and the address as recvfrom() gives them:
print(data) shows b'i love me', the bytes with their b and quotes, not the
text of the reply. Print data.decode().
"""
import os
import socket

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.settimeout(5)
sock.sendto("i love you".encode(), (os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))
data, addr = sock.recvfrom(500)
print(data)
print(addr)
sock.close()
