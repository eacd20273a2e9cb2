"""NNTP reader: print the From, Subject and Date of the last article in the
newsgroup NNTP_GROUP, then the first lines of its body."""
import os
import socket
import warnings
from email.header import decode_header
from email.parser import BytesParser

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import nntplib
    except ImportError:  # Python 3.13 removed nntplib from the standard library
        nntplib = None

BODY_LINES = 5


def decode(value):
    parts = []
    for text, charset in decode_header(value or ""):
        if isinstance(text, bytes):
            text = text.decode(charset or "utf-8", "replace")
        parts.append(text)
    return "".join(parts)


def last_article_nntplib(host, port, group):
    news = nntplib.NNTP(host, port, timeout=10)
    resp, count, first, last, name = news.group(group)
    resp, info = news.article(str(last))
    news.quit()
    return info.lines


def last_article_socket(host, port, group):
    """The same dialogue by hand, for Pythons without nntplib."""
    with socket.create_connection((host, port), timeout=10) as sock:
        f = sock.makefile("rwb")

        def command(line):
            if line:
                f.write(line.encode("utf-8") + b"\r\n")
                f.flush()
            reply = f.readline().decode("utf-8").rstrip("\r\n")
            if not reply[:1] in "23":
                raise RuntimeError("server said: " + reply)
            return reply

        command("")  # the greeting
        last = command("GROUP " + group).split()[3]
        command("ARTICLE " + last)
        lines = []
        while True:
            line = f.readline().rstrip(b"\r\n")
            if line == b".":
                break
            lines.append(line[1:] if line.startswith(b"..") else line)
        command("QUIT")
        return lines


host = os.environ["NNTP_HOST"]
port = int(os.environ["NNTP_PORT"])
group = os.environ["NNTP_GROUP"]
fetch = last_article_nntplib if nntplib else last_article_socket
article = BytesParser().parsebytes(b"\r\n".join(fetch(host, port, group)))

print("From: " + decode(article["From"]))
print("Subject: " + decode(article["Subject"]))
print("Date: " + article["Date"])
print()
payload = article.get_payload(decode=True) or b""
body = payload.decode(article.get_content_charset() or "utf-8", "replace")
for line in body.splitlines()[:BODY_LINES]:
    print(line)
