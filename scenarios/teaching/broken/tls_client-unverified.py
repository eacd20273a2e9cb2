"""BUG: ssl._create_unverified_context(), the usual "fix" for
CERTIFICATE_VERIFY_FAILED found on the web: it accepts any certificate for
any name, so a man in the middle gets "hello" (and any password after it).
GRADING: the first run (the right certificate) passes; in the second run
(a certificate for another name) the program sends "hello" and exits 0:
"nothing may be sent" and "exit status not 0" fail; about 3/5 remain.
HINT: never turn verification off: use ssl.create_default_context(
cafile=CA_FILE) and server_hostname=SERVER_NAME, and let a bad
certificate stop the program.
"""
import os
import socket
import ssl

context = ssl._create_unverified_context()
sock = socket.create_connection((os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])), timeout=10)
tls = context.wrap_socket(sock, server_hostname=os.environ["SERVER_NAME"])
tls.sendall(b"hello\n")
print(tls.recv(1024).decode("utf-8").strip())
tls.close()
