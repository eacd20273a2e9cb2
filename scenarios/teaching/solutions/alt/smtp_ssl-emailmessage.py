"""SMTP_SSL with the modern email API: EmailMessage (it encodes the
subject and the sender's name by itself), send_message, and a with block
that sends QUIT."""
import os
import smtplib
import ssl
from email.message import EmailMessage

msg = EmailMessage()
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = os.environ["MAIL_FROM"]
msg["To"] = os.environ["MAIL_TO"]
msg.set_content(os.environ["MAIL_BODY"])

with smtplib.SMTP_SSL(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]),
                      context=ssl.create_default_context(), timeout=10) as smtp:
    smtp.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
    smtp.send_message(msg)
print("sent")
