"""BUG: select("INBOX", readonly=True), copied from a reading program:
the mailbox is opened with EXAMINE, where STORE changes nothing. Dovecot
(checked) even answers OK, so the program prints the count and exits 0
without a single flag set; a server that refuses STORE there makes
imaplib raise (exit 1).
GRADING: nothing is flagged: "MAIL_FROM's messages are flagged" fails,
"the others are not flagged" passes, the count passes on an OK-answering
server; about 3/5 remain (2/5 where STORE is refused).
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
