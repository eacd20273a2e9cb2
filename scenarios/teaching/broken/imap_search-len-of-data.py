"""BUG: search() returns a list holding ONE bytes string of message numbers,
such as [b"3 5 8"]; len(data) is always 1. Count data[0].split().
"""
import imaplib
import os
from email.header import decode_header
from email.parser import BytesParser


def decode(value):
    parts = []
    for text, charset in decode_header(value or ""):
        if isinstance(text, bytes):
            text = text.decode(charset or "utf-8", "replace")
        parts.append(text)
    return "".join(parts)


imap = imaplib.IMAP4(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"]), timeout=10)
imap.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
imap.select("INBOX", readonly=True)
word = os.environ["MAIL_SUBJECT"]
typ, data = imap.search(None, '(SUBJECT "%s")' % word)
numbers = data[0].split()  # data is [b"1 4 7"]: one string of numbers
print(len(data))
for num in numbers:
    typ, parts = imap.fetch(num, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    header = BytesParser().parsebytes(parts[0][1])
    print(decode(header["Subject"]))
imap.logout()
