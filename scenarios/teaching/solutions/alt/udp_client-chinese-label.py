"""UDP client in the style of the seed course's tutorial 003: it says what
it does, then prints the reply after a label, 服务端回复：, and the
server's address on a line of its own.
"""
import os
import socket

server = (os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"]))
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client.settimeout(5)
client.sendto("i love you".encode("utf-8"), server)
print("已发送给", server)
serverData, address = client.recvfrom(1024)
print("服务端回复：", serverData.decode("utf-8"))
print("来自", address)
client.close()
