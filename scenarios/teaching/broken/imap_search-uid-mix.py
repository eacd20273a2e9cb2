"""BUG: the numbers come from search(), which gives message sequence
numbers, but they are fetched with uid("fetch", ...), which wants UIDs.
Once a mail has been deleted the two differ, and the program reads other
mails, or none. Use search with fetch, or uid("search") with uid("fetch").
"""
import imaplib
import os
from email.header import decode_header, make_header
from email.parser import BytesParser

imap = imaplib.IMAP4(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"]), timeout=10)
imap.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
imap.select("INBOX", readonly=True)
typ, data = imap.search(None, "SUBJECT", os.environ["MAIL_SUBJECT"])
numbers = data[0].split()
print(len(numbers))
for num in numbers:
    typ, parts = imap.uid("fetch", num, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    if parts and isinstance(parts[0], tuple):
        print(make_header(decode_header(BytesParser().parsebytes(parts[0][1])["Subject"])))
imap.logout()
