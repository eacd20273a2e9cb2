"""NNTP poster over a plain socket (no nntplib, which Python 3.13 removed):
the dialogue of RFC 3977 and RFC 4643 by hand, the article built with
EmailMessage (which encodes the subject and the name), dot-stuffed, and
the reply to the article printed."""
import os
import socket
from email.message import EmailMessage

msg = EmailMessage()
msg["From"] = os.environ["MAIL_FROM"]
msg["Newsgroups"] = os.environ["NNTP_GROUP"]
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg.set_content(os.environ["MAIL_BODY"])

sock = socket.create_connection((os.environ["NNTP_HOST"], int(os.environ["NNTP_PORT"])), timeout=10)
reader = sock.makefile("rb")


def expect(code):
    line = reader.readline().decode("utf-8", "replace").rstrip("\r\n")
    if not line.startswith(code):
        raise SystemExit("unexpected reply: " + line)
    return line


def say(line, code):
    sock.sendall(line.encode("utf-8") + b"\r\n")
    return expect(code)


expect("20")
say("MODE READER", "20")
say("AUTHINFO USER " + os.environ["MAIL_USER"], "381")
say("AUTHINFO PASS " + os.environ["MAIL_PASSWORD"], "281")
say("POST", "340")
lines = msg.as_bytes().replace(b"\r\n", b"\n").split(b"\n")
if lines and lines[-1] == b"":
    lines.pop()
data = b"".join((b"." + l if l.startswith(b".") else l) + b"\r\n" for l in lines)
sock.sendall(data + b".\r\n")
print(expect("240"))
say("QUIT", "205")
sock.close()
