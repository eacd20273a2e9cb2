"""BUG: the program searches ALL instead of (SUBJECT word): it counts and
prints every mail of the INBOX, the one that does not match too.
"""
import imaplib
import os
from email.header import decode_header, make_header
from email.parser import BytesParser

imap = imaplib.IMAP4(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"]), timeout=10)
imap.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
imap.select("INBOX", readonly=True)
typ, data = imap.search(None, "ALL")
numbers = data[0].split()
print(len(numbers))
for num in numbers:
    typ, parts = imap.fetch(num, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    print(make_header(decode_header(BytesParser().parsebytes(parts[0][1])["Subject"])))
imap.logout()
