"""smtp_alternative in the modern style: set_content(text) then
add_alternative(html, subtype="html"), which makes the message
multipart/alternative; send_message."""
import html
import os
import smtplib
from email.message import EmailMessage

body = os.environ["MAIL_BODY"]
msg = EmailMessage()
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = os.environ["MAIL_FROM"]
msg["To"] = os.environ["MAIL_TO"]
msg.set_content(body)
msg.add_alternative("<html><body><p><b>%s</b></p></body></html>" % html.escape(body), subtype="html")

with smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]), timeout=10) as server:
    server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
    server.send_message(msg)
print("sent")
