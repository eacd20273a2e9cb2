"""Chat server in the seed course's style: a recv() loop on each
connection, in with blocks; "bye" ends the chat without an answer, and
the with block closes the connection. Each answer goes with send() and
ends with a newline.
"""
import os
import socket

with socket.socket() as server:
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", int(os.environ["PORT"])))
    server.listen(5)
    while True:
        conn, address = server.accept()
        print("connected", address)
        with conn:
            while True:
                clientData = conn.recv(1024)
                if not clientData:
                    break
                result = clientData.decode("utf-8").strip()
                print("client says:", result)
                if result == "bye":
                    break
                conn.send(("echo: " + result + "\n").encode("utf-8"))
