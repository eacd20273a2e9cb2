"""SMTP with STARTTLS: SMTP_HOST:SMTP_PORT is a plain port; switch to TLS
(verifying the server with the default context) before logging in, then
send MAIL_SUBJECT / MAIL_BODY from MAIL_FROM to MAIL_TO."""
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

server = smtplib.SMTP(host, port, timeout=10)
server.ehlo()
server.starttls(context=ssl.create_default_context())
server.ehlo()  # ask again: the server's offer changes under TLS (AUTH appears)
server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
server.sendmail(sender, [receiver], message.as_string())
server.quit()
print("mail sent to", receiver)
