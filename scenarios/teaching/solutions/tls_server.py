"""TLS echo server on 127.0.0.1:PORT with the certificate CERT_FILE and its
key KEY_FILE: every line is answered with the same line. Each client gets a
thread; a client that does not speak TLS fails its handshake and is closed,
and the server goes on."""
import os
import socket
import ssl
import threading

context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(os.environ["CERT_FILE"], os.environ["KEY_FILE"])


def serve(conn, addr):
    try:
        with context.wrap_socket(conn, server_side=True) as tls:
            for line in tls.makefile("rb"):
                tls.sendall(line)
    except (ssl.SSLError, OSError) as e:
        print("client %s: %s" % (addr, e))
    finally:
        conn.close()


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(os.environ["PORT"])))
server.listen(5)
print("TLS echo server on 127.0.0.1:%s" % os.environ["PORT"])
while True:
    conn, addr = server.accept()
    conn.settimeout(30)
    threading.Thread(target=serve, args=(conn, addr), daemon=True).start()
