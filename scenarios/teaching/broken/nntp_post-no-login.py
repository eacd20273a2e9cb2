"""BUG: no AUTHINFO: the program posts without logging in, and the server
refuses the POST (440 posting not allowed, or 480 authentication
required); nntplib raises and the program exits 1.
GRADING: no article in the group: 0/5.
HINT: log in before posting: nntplib.NNTP(host, port, user=..., password=...)
or s.login(MAIL_USER, MAIL_PASSWORD).
"""
import os
import warnings
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import nntplib

name, address = parseaddr(os.environ["MAIL_FROM"])
msg = MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8")
msg["From"] = formataddr((Header(name, "utf-8").encode(), address))
msg["Newsgroups"] = os.environ["NNTP_GROUP"]
msg["Subject"] = Header(os.environ["MAIL_SUBJECT"], "utf-8")
s = nntplib.NNTP(os.environ["NNTP_HOST"], int(os.environ["NNTP_PORT"]), readermode=True, timeout=10)
print(s.post(msg.as_bytes()))
s.quit()
