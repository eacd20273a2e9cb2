"""BUG: SMTP_SSL with ssl._create_unverified_context(): the session is
encrypted but the server is not checked, so a man in the middle gets the
password. (Note: Python's SMTP_SSL without a context argument does not
verify either (checked on 3.11: it uses ssl._create_stdlib_context): the seed course's own
smtplib.SMTP_SSL(host, 465) behaves like this program.)
GRADING: full marks, 7/7, pinned so in test/teaching: on the wire this
program is the seed course's SMTP_SSL(host, 465), which must get full
marks, so no run with an untrusted certificate can take points from it.
HINT: pass context=ssl.create_default_context() to SMTP_SSL: it verifies
the server's certificate; never use _create_unverified_context().
"""
import os
import smtplib
import ssl
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr

name, sender = parseaddr(os.environ["MAIL_FROM"])
message = MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8")
message["From"] = formataddr((Header(name, "utf-8").encode(), sender))
message["To"] = os.environ["MAIL_TO"]
message["Subject"] = Header(os.environ["MAIL_SUBJECT"], "utf-8")
smtpObj = smtplib.SMTP_SSL(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]),
                           context=ssl._create_unverified_context())
smtpObj.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
smtpObj.sendmail(sender, [os.environ["MAIL_TO"]], message.as_string())
smtpObj.quit()
