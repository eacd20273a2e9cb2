"""imap_search that fetches every match in one FETCH (a comma-separated
set of message numbers), whole messages (RFC822), and decodes the subject
with str(make_header(decode_header(...)))."""
import imaplib
import os
from email import message_from_bytes
from email.header import decode_header, make_header

M = imaplib.IMAP4(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"]))
M.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
M.select()
typ, data = M.search(None, "SUBJECT", os.environ["MAIL_SUBJECT"])
nums = data[0].decode().split()
print("%d" % len(nums))
if nums:
    typ, items = M.fetch(",".join(nums), "(RFC822)")
    for item in items:
        if isinstance(item, tuple):
            msg = message_from_bytes(item[1])
            print(str(make_header(decode_header(msg["Subject"]))))
M.close()
M.logout()
