"""smtp_headers with compat32 MIMEText: formataddr((name, address)) encodes
a non-ASCII name by itself (charset utf-8), and the subject is assigned as
a plain str, which compat32 encodes as RFC 2047 when it writes the
message."""
import os
import smtplib
from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr

name, sender = parseaddr(os.environ["MAIL_FROM"])
receiver = os.environ["MAIL_TO"]
msg = MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8")
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = formataddr((name, sender))
msg["To"] = receiver

server = smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]), timeout=10)
server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
server.sendmail(sender, [receiver], msg.as_string())
server.quit()
