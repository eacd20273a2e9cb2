"""Send one mail whose headers are not plain ASCII: the subject (and the
sender's display name, when MAIL_FROM has one) are encoded with
email.header.Header, as RFC 2047 asks."""
import os
import smtplib
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr

host = os.environ["SMTP_HOST"]
port = int(os.environ["SMTP_PORT"])
user = os.environ["MAIL_USER"]
password = os.environ["MAIL_PASSWORD"]
name, sender = parseaddr(os.environ["MAIL_FROM"])
receiver = os.environ["MAIL_TO"]

msg = MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8")
msg["Subject"] = Header(os.environ["MAIL_SUBJECT"], "utf-8")
msg["From"] = formataddr((Header(name, "utf-8").encode(), sender))
msg["To"] = receiver

server = smtplib.SMTP(host, port, timeout=10)
server.login(user, password)
server.sendmail(sender, [receiver], msg.as_string())
server.quit()
print("mail sent to", receiver)
