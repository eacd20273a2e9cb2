"""STARTTLS with a with block and send_message; login() says EHLO again
by itself after starttls()."""
import os
import smtplib
import ssl
from email.message import EmailMessage

msg = EmailMessage()
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = os.environ["MAIL_FROM"]
msg["To"] = os.environ["MAIL_TO"]
msg.set_content(os.environ["MAIL_BODY"])

with smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]), timeout=10) as smtp:
    smtp.starttls(context=ssl.create_default_context())
    smtp.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
    smtp.send_message(msg)
print("sent")
