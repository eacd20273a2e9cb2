"""BUG: "Flagged" without its backslash is a keyword of the user's own,
not the system flag \Flagged: mail clients show nothing, and the messages
are not flagged.
GRADING: the count printed is right, but "MAIL_FROM's messages have
\Flagged" fails; "the others are not flagged" passes; about 3/5 remain.
HINT: system flags start with a backslash: "\\Flagged" in a Python
string (or r"\Flagged").
"""
import imaplib
import os
from email.utils import parseaddr

address = parseaddr(os.environ["MAIL_FROM"])[1]
imap = imaplib.IMAP4(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"]), timeout=10)
imap.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
imap.select("INBOX")
typ, data = imap.search(None, "FROM", '"%s"' % address)
numbers = data[0].split()
for num in numbers:
    imap.store(num, "+FLAGS", "Flagged")
imap.logout()
print(len(numbers))
