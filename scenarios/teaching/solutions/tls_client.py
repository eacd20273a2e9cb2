"""TLS client: connect to SERVER_HOST:SERVER_PORT, verify the server's
certificate against CA_FILE and the name SERVER_NAME, send "hello", print
the reply line. When verification fails, nothing is sent: print the error
and end with status 1."""
import os
import socket
import ssl
import sys

context = ssl.create_default_context(cafile=os.environ["CA_FILE"])
host = os.environ["SERVER_HOST"]
port = int(os.environ["SERVER_PORT"])

try:
    with socket.create_connection((host, port), timeout=10) as sock:
        with context.wrap_socket(sock, server_hostname=os.environ["SERVER_NAME"]) as tls:
            tls.sendall(b"hello\n")
            reply = tls.makefile("r", encoding="utf-8").readline()
            print(reply.rstrip("\r\n"))
except ssl.SSLError as e:
    print("TLS error:", e)
    sys.exit(1)
