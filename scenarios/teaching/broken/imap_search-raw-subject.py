"""BUG: the subjects are printed as the server sends them, RFC 2047 encoded
("=?utf-8?b?...?="), instead of decoded with email.header.decode_header.
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
print(len(numbers))
for num in numbers:
    typ, parts = imap.fetch(num, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    header = BytesParser().parsebytes(parts[0][1])
    print(header["Subject"])
imap.logout()
