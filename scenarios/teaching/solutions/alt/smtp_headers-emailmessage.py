"""smtp_headers in the modern style: EmailMessage (policy default) encodes
non-ASCII headers by itself, the subject as RFC 2047 words and, in From,
only the display name; send_message."""
import os
import smtplib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr

name, addr = parseaddr(os.environ["MAIL_FROM"])
user, domain = addr.split("@")
msg = EmailMessage()
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = Address(display_name=name, username=user, domain=domain)
msg["To"] = os.environ["MAIL_TO"]
msg.set_content(os.environ["MAIL_BODY"])

with smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]), timeout=10) as server:
    server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
    server.send_message(msg)
print("sent")
