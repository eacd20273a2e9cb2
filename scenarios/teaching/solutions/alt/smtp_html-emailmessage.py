"""smtp_html in the modern style: EmailMessage.set_content(html,
subtype="html"), send_message, SMTP as a context manager."""
import os
import smtplib
from email.message import EmailMessage

msg = EmailMessage()
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = os.environ["MAIL_FROM"]
msg["To"] = os.environ["MAIL_TO"]
msg.set_content(os.environ["MAIL_BODY"], subtype="html")

with smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]), timeout=10) as server:
    server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
    server.send_message(msg)
print("sent")
