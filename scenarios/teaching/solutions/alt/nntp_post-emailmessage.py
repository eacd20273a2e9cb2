"""NNTP poster with EmailMessage (policy.default encodes the subject and
the sender's name) and nntplib's post() of the bytes. nntplib is in Python
up to 3.12."""
import os
import warnings
from email.message import EmailMessage

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import nntplib

msg = EmailMessage()
msg["Newsgroups"] = os.environ["NNTP_GROUP"]
msg["From"] = os.environ["MAIL_FROM"]
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg.set_content(os.environ["MAIL_BODY"])

s = nntplib.NNTP(os.environ["NNTP_HOST"], int(os.environ["NNTP_PORT"]), readermode=True, timeout=10)
s.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
print(s.post(msg.as_bytes()))
s.quit()
