"""The seed course's SMTP_SSL sender: SMTP_HOST:SMTP_PORT speaks TLS from
the first byte (port 465 style). Log in as MAIL_USER and send MAIL_SUBJECT /
MAIL_BODY from MAIL_FROM to MAIL_TO. The context is the default one: it
verifies the server's certificate (against SSL_CERT_FILE or the system's
CAs) and its name."""
import os
import smtplib
import ssl
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr

host = os.environ["SMTP_HOST"]
port = int(os.environ["SMTP_PORT"])
name, sender = parseaddr(os.environ["MAIL_FROM"])  # MAIL_FROM may be "Name <address>"
receiver = os.environ["MAIL_TO"]

message = MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8")
message["From"] = formataddr((Header(name, "utf-8").encode(), sender))
message["To"] = receiver
message["Subject"] = Header(os.environ["MAIL_SUBJECT"], "utf-8")

context = ssl.create_default_context()
smtpObj = smtplib.SMTP_SSL(host, port, context=context, timeout=10)
smtpObj.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
smtpObj.sendmail(sender, [receiver], message.as_string())
smtpObj.quit()
print("mail send successful!")
