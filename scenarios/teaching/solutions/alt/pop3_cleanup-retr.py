"""POP3 cleanup in the seed course's way: list() the messages, retr() each
one, parse it with policy.default (which decodes the subject), dele() the
matching ones, and quit() so that the server really deletes them."""
import os
import poplib
from email import policy
from email.parser import BytesParser

server = poplib.POP3(os.environ["POP3_HOST"], int(os.environ["POP3_PORT"]), timeout=10)
server.user(os.environ["MAIL_USER"])
server.pass_(os.environ["MAIL_PASSWORD"])
resp, mails, octets = server.list()
n = 0
for entry in mails:
    index = int(entry.split()[0])
    resp, lines, octets = server.retr(index)
    msg = BytesParser(policy=policy.default).parsebytes(b"\r\n".join(lines))
    if os.environ["MAIL_SUBJECT"] in str(msg["Subject"] or ""):
        server.dele(index)
        n += 1
server.quit()
print("deleted:", n)
