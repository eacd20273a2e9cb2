"""The seed course's chat client (tutorial 003), ending its loop on an
empty input: it prompts in Chinese with input(), and prints the reply after
a label, 服务端回复：, on the same line as the prompt (stdin is not a
terminal, so the prompt's line does not end).
"""
import os
import socket

client = socket.socket()
client.connect((os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))
print("连接成功")

while True:
    sendData = input("请输入要发送给服务端的数据：")
    if not sendData:
        break
    client.send(sendData.encode("utf-8"))

    serverData = client.recv(1024)
    if not serverData:
        break
    result = serverData.decode("utf-8")
    print("服务端回复：", result)

client.close()
