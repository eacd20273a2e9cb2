"""TLS client with an explicit SSLContext(PROTOCOL_TLS_CLIENT): it verifies
certificates and names by default; load_verify_locations adds CA_FILE."""
import os
import socket
import ssl
import sys

context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.load_verify_locations(os.environ["CA_FILE"])

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.settimeout(10)
tls = context.wrap_socket(sock, server_hostname=os.environ["SERVER_NAME"])
try:
    tls.connect((os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))
except ssl.SSLCertVerificationError as e:
    print("certificate refused:", e.verify_message)
    sys.exit(1)
tls.send("hello\n".encode("utf-8"))
print(tls.recv(1024).decode("utf-8").strip())
tls.close()
