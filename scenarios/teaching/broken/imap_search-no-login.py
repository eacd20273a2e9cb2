"""BUG: the program selects the INBOX without logging in: the server
refuses SELECT before LOGIN and imaplib raises "command SELECT illegal in
state NONAUTH".
"""
import imaplib
import os
from email.header import decode_header, make_header
from email.parser import BytesParser

imap = imaplib.IMAP4(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"]), timeout=10)
imap.select("INBOX")
typ, data = imap.search(None, "SUBJECT", os.environ["MAIL_SUBJECT"])
numbers = data[0].split()
print(len(numbers))
for num in numbers:
    typ, parts = imap.fetch(num, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    print(make_header(decode_header(BytesParser().parsebytes(parts[0][1])["Subject"])))
imap.logout()
