"""BUG: sendto() is given a str; a socket sends bytes, so the client dies
with "TypeError: a bytes-like object is required, not 'str'" before
anything is sent.
"""
import os
import socket

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.settimeout(5)
sock.sendto("i love you", (os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))
data, addr = sock.recvfrom(1024)
print(data.decode())
sock.close()
