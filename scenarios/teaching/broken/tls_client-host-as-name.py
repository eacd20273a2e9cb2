"""BUG: server_hostname is SERVER_HOST (127.0.0.1), not SERVER_NAME: the
certificate is for SERVER_NAME, so verification fails on the good server
too, and the program never talks.
GRADING: the first run fails ("hello" never arrives, nothing printed, exit
1); the second run (wrong name) passes its checks (nothing sent, exit not
0); about 2/5 remain.
HINT: the name to check is the one the certificate was issued for:
server_hostname=os.environ["SERVER_NAME"], even when you connect to an IP
address.
"""
import os
import socket
import ssl
import sys

host = os.environ["SERVER_HOST"]
context = ssl.create_default_context(cafile=os.environ["CA_FILE"])
try:
    with socket.create_connection((host, int(os.environ["SERVER_PORT"])), timeout=10) as sock:
        with context.wrap_socket(sock, server_hostname=host) as tls:
            tls.sendall(b"hello\n")
            print(tls.recv(1024).decode("utf-8").strip())
except ssl.SSLError as e:
    print(e)
    sys.exit(1)
