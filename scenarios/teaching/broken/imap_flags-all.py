"""BUG: it marks every message of the INBOX, not only MAIL_FROM's: the
search is ALL and the From header is never looked at.
GRADING: "MAIL_FROM's messages are flagged" passes, "the others are not
flagged" and the count fail; about 2/5 remain.
HINT: only the messages from MAIL_FROM: search (FROM "address") or check
each message's From address before store().
"""
import imaplib
import os

imap = imaplib.IMAP4(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"]), timeout=10)
imap.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
imap.select("INBOX")
typ, data = imap.search(None, "ALL")
numbers = data[0].split()
for num in numbers:
    imap.store(num, "+FLAGS", "\\Flagged")
imap.logout()
print(len(numbers))
