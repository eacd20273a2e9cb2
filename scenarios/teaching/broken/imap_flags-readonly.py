"""BUG: select("INBOX", readonly=True), copied from a reading program:
the mailbox is opened with EXAMINE, and STORE is refused ("mailbox
selected READ-ONLY"): imaplib raises and the program exits 1.
GRADING: nothing is flagged: "MAIL_FROM's messages are flagged" and the
count fail, "the others are not flagged" passes; about 2/5 remain.
HINT: to change flags the mailbox must be opened read-write: select("INBOX")
without readonly=True.
"""
import imaplib
import os
from email.utils import parseaddr

address = parseaddr(os.environ["MAIL_FROM"])[1]
imap = imaplib.IMAP4(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"]), timeout=10)
imap.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
imap.select("INBOX", readonly=True)
typ, data = imap.search(None, "FROM", '"%s"' % address)
numbers = data[0].split()
for num in numbers:
    imap.store(num, "+FLAGS", "\\Flagged")
imap.logout()
print(len(numbers))
