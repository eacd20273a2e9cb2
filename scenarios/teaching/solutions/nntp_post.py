"""NNTP poster: post an article to NNTP_GROUP, logged in as MAIL_USER
(AUTHINFO), From MAIL_FROM, Subject MAIL_SUBJECT (encoded when it is not
ASCII), body MAIL_BODY; print the server's reply line."""
import os
import socket
import warnings
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import nntplib
    except ImportError:  # Python 3.13 removed nntplib from the standard library
        nntplib = None


def post_nntplib(host, port, user, password, article):
    # readermode: MODE READER before the login, or INN (innd) takes us for a peer
    news = nntplib.NNTP(host, port, user=user, password=password, readermode=True, timeout=10)
    reply = news.post(article)
    news.quit()
    return reply


def post_socket(host, port, user, password, article):
    """The same dialogue by hand, for Pythons without nntplib."""
    with socket.create_connection((host, port), timeout=10) as sock:
        f = sock.makefile("rwb")

        def command(line, ok="23"):
            if line is not None:
                f.write(line + b"\r\n")
                f.flush()
            reply = f.readline().decode("utf-8").rstrip("\r\n")
            if reply[:1] not in ok:
                raise RuntimeError("server said: " + reply)
            return reply

        command(None)  # the greeting
        command(b"MODE READER")
        command(b"AUTHINFO USER " + user.encode("utf-8"))
        command(b"AUTHINFO PASS " + password.encode("utf-8"))
        command(b"POST", ok="3")
        for line in article.splitlines():
            f.write((b"." + line if line.startswith(b".") else line) + b"\r\n")
        reply = command(b".")
        command(b"QUIT")
        return reply


group = os.environ["NNTP_GROUP"]
msg = MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8")
name, address = parseaddr(os.environ["MAIL_FROM"])  # it may be "Name <address>"
msg["From"] = formataddr((Header(name, "utf-8").encode(), address))
msg["Newsgroups"] = group
msg["Subject"] = Header(os.environ["MAIL_SUBJECT"], "utf-8")
article = msg.as_bytes()

post = post_nntplib if nntplib else post_socket
print(post(os.environ["NNTP_HOST"], int(os.environ["NNTP_PORT"]),
           os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"], article))
