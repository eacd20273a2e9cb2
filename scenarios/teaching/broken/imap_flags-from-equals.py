"""BUG: the From header is compared with MAIL_FROM as a whole string: a
mail whose From is "Name <address>" is not recognised, so only the mail
from the bare address is marked (and counted).
GRADING: "the mails from MAIL_FROM are flagged" and the count fail, the
others stay unflagged: 2/5.
HINT: only some were marked: compare the address (email.utils.parseaddr)
or search (FROM "address").
"""
import imaplib
import os

imap = imaplib.IMAP4(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"]))
imap.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
imap.select("INBOX")
typ, data = imap.search(None, "ALL")
n = 0
for num in data[0].split():
    typ, parts = imap.fetch(num, "(BODY.PEEK[HEADER.FIELDS (FROM)])")
    sender = parts[0][1].decode().replace("From:", "").strip()
    if sender == os.environ["MAIL_FROM"]:
        imap.store(num, "+FLAGS", "\\Flagged")
        n = n + 1
print(n)
imap.logout()
