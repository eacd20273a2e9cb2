"""BUG: the article is built like a mail, with From and Subject but no
Newsgroups header: the server cannot tell where to post it and refuses
it (441 "Newsgroups" header field missing).
GRADING: no article in the group: 0/5.
HINT: a news article names its group in the header:
msg["Newsgroups"] = NNTP_GROUP (group() only selects a group for reading).
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
msg["Subject"] = Header(os.environ["MAIL_SUBJECT"], "utf-8")
s = nntplib.NNTP(os.environ["NNTP_HOST"], int(os.environ["NNTP_PORT"]), user=os.environ["MAIL_USER"],
                 password=os.environ["MAIL_PASSWORD"], readermode=True, timeout=10)
s.group(os.environ["NNTP_GROUP"])
print(s.post(msg.as_bytes()))
s.quit()
