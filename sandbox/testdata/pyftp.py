#!/usr/bin/env python3
"""Drive the netrun sandbox's FTP services with Python's ftplib.

Run by TestPythonFTP (pyftp_test.go). The addresses come from the
environment: NETRUN_SANDBOX_CA (the CA's PEM file), NETRUN_SANDBOX_FTP and
NETRUN_SANDBOX_FTPS (host:port). TLS is always verified against the sandbox
CA. Everything is passive, ftplib's default. The script prints one JSON
object of what ftplib saw; the Go test checks it. Any unexpected error ends
the script with a traceback and a non-zero status.
"""

import ftplib
import hashlib
import io
import json
import os
import ssl
import uuid

TIMEOUT = 30  # seconds; only keeps a broken server from hanging the test


def addr(name):
    host, port = os.environ["NETRUN_SANDBOX_" + name].rsplit(":", 1)
    return host, int(port)


def context():
    return ssl.create_default_context(cafile=os.environ["NETRUN_SANDBOX_CA"])


class ImplicitFTP_TLS(ftplib.FTP_TLS):
    """FTP_TLS for implicit TLS (ftps): the control socket is TLS from the start."""

    def connect(self, host, port, timeout):
        self.host, self.port, self.timeout = host, port, timeout
        import socket
        raw = socket.create_connection((host, port), timeout)
        self.sock = self.context.wrap_socket(raw, server_hostname=host)
        self.af = self.sock.family
        self.file = self.sock.makefile("r", encoding=self.encoding)
        self.welcome = self.getresp()
        return self.welcome


def anonymous():
    """The teaching exercise: anonymous login, cd pub, RETR README in binary."""
    f = ftplib.FTP()
    f.connect(*addr("FTP"), timeout=TIMEOUT)
    welcome = f.getwelcome()
    login = f.login()
    f.cwd("pub")
    out = io.BytesIO()
    done = f.retrbinary("RETR README", out.write)
    names = sorted(f.nlst())
    lines = []
    f.retrlines("LIST", lines.append)
    try:
        f.storbinary("STOR x.txt", io.BytesIO(b"x"))
        upload = "allowed"
    except ftplib.error_perm as e:
        upload = str(e)[:3]
    f.quit()
    readme = out.getvalue()
    return {"welcome": welcome, "login": login[:3], "retr": done[:3],
            "readme_sha256": hashlib.sha256(readme).hexdigest(), "readme_size": len(readme),
            "nlst": names, "list_lines": len(lines), "upload": upload}


def exercise(f, label):
    """Upload, list, download, rename, delete in alice's tree."""
    name = "py-" + uuid.uuid4().hex[:8] + ".bin"
    data = bytes(range(256)) * 64
    f.storbinary("STOR " + name, io.BytesIO(data))
    listed = name in f.nlst()
    out = io.BytesIO()
    f.retrbinary("RETR " + name, out.write)
    f.mkd("d-" + name)
    f.rename(name, "d-" + name + "/" + name)
    moved = any(n.endswith(name) for n in f.nlst("d-" + name))
    f.delete("d-" + name + "/" + name)
    f.rmd("d-" + name)
    gone = name not in f.nlst()
    return {"label": label, "listed": listed, "same": out.getvalue() == data, "moved": moved, "gone": gone,
            "large": large(f)}


def large(f):
    """Upload and download 1 KiB, 1 MiB and 16 MiB: over TLS, ftplib ends
    each data connection with a TLS shutdown (unwrap), which waits for the
    server's close_notify; a server that just closes makes it fail."""
    same = {}
    for size in (1 << 10, 1 << 20, 16 << 20):
        name = "py-large-" + uuid.uuid4().hex[:8] + ".bin"
        data = hashlib.shake_256(name.encode()).digest(size)
        done = f.storbinary("STOR " + name, io.BytesIO(data))
        h, n = hashlib.sha256(), [0]

        def take(b):
            h.update(b)
            n[0] += len(b)
        got = f.retrbinary("RETR " + name, take)
        f.delete(name)
        same[str(size)] = (done[:3] == "226" and got[:3] == "226" and n[0] == size
                           and h.hexdigest() == hashlib.sha256(data).hexdigest())
    return same


def plain():
    f = ftplib.FTP()
    f.connect(*addr("FTP"), timeout=TIMEOUT)
    f.login("alice", "secret")
    r = exercise(f, "FTP")
    f.quit()
    return r


def explicit():
    f = ftplib.FTP_TLS(context=context())
    f.connect(*addr("FTP"), timeout=TIMEOUT)
    f.auth()
    f.login("alice", "secret")
    f.prot_p()
    r = exercise(f, "FTP_TLS")
    r["tls_version"] = f.sock.version()
    f.quit()
    return r


def implicit():
    f = ImplicitFTP_TLS(context=context())
    f.connect(*addr("FTPS"), timeout=TIMEOUT)
    f.login("alice", "secret")
    f.prot_p()
    r = exercise(f, "FTP_TLS implicit")
    f.quit()
    return r


def wrong_password():
    f = ftplib.FTP()
    f.connect(*addr("FTP"), timeout=TIMEOUT)
    try:
        f.login("alice", "wrong")
        return "accepted"
    except ftplib.error_perm as e:
        return str(e)[:3]
    finally:
        f.close()


print(json.dumps({"anonymous": anonymous(), "plain": plain(), "explicit": explicit(),
                  "implicit": implicit(), "wrong_password": wrong_password()}))
