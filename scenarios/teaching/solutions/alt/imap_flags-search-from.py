"""IMAP flags with SEARCH FROM: the server finds the candidates, the
program checks each one's address (FROM matches substrings), then one
STORE marks them all with a message set "1,4,7"."""
import imaplib
import os
from email.parser import BytesParser
from email.utils import parseaddr

address = parseaddr(os.environ["MAIL_FROM"])[1]
M = imaplib.IMAP4(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"]))
M.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
M.select()
typ, data = M.search(None, "FROM", '"%s"' % address)
mine = []
for num in data[0].split():
    typ, parts = M.fetch(num, "(BODY.PEEK[HEADER.FIELDS (FROM)])")
    frm = BytesParser().parsebytes(parts[0][1])["From"]
    if parseaddr(frm)[1].lower() == address.lower():
        mine.append(num.decode())
if mine:
    M.store(",".join(mine), "+FLAGS", "(\\Flagged)")
print(len(mine))
M.close()
M.logout()
