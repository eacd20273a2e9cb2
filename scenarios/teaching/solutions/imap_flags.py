"""IMAP flags: mark every INBOX message from MAIL_FROM as \\Flagged, leave
the others, print how many were marked. The sender is compared by address,
so "Name <a@b>" and "a@b" are the same sender."""
import imaplib
import os
from email.parser import BytesParser
from email.utils import parseaddr

wanted = parseaddr(os.environ["MAIL_FROM"])[1].lower()
imap = imaplib.IMAP4(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"]), timeout=10)
imap.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
imap.select("INBOX")  # read-write: STORE needs it
typ, data = imap.search(None, "ALL")
marked = 0
for num in data[0].split():
    typ, parts = imap.fetch(num, "(BODY.PEEK[HEADER.FIELDS (FROM)])")
    header = BytesParser().parsebytes(parts[0][1], headersonly=True)
    if parseaddr(header["From"] or "")[1].lower() == wanted:
        imap.store(num, "+FLAGS", "\\Flagged")
        marked += 1
imap.logout()
print(marked)
