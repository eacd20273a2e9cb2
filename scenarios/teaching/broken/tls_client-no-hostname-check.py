"""BUG: it loads the CA but turns check_hostname off: any certificate the
CA signed is taken, for whatever name, so the second run's certificate
(signed by the sandbox CA for another name) is accepted.
GRADING: the first run passes; the second run sends "hello" and exits 0:
about 3/5 remain. (When the scenario's other-name certificate comes from
another CA, this program refuses it and gets 5/5: the scenario must sign
the wrong-name certificate with the same CA to catch this bug.)
HINT: the certificate must be for the name you asked for: keep
check_hostname on and pass server_hostname=SERVER_NAME.
"""
import os
import socket
import ssl
import sys

context = ssl.create_default_context(cafile=os.environ["CA_FILE"])
context.check_hostname = False
try:
    sock = socket.create_connection((os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])), timeout=10)
    tls = context.wrap_socket(sock)
except ssl.SSLError as e:
    print(e)
    sys.exit(1)
tls.sendall(b"hello\n")
print(tls.recv(1024).decode("utf-8").strip())
tls.close()
