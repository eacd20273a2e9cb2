"""smtp_alternative with MIMEMultipart("alternative") and two MIMEText
parts without a charset (ASCII), sent with send_message inside a
with-block."""
import os
import smtplib
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

body = os.environ["MAIL_BODY"]
msg = MIMEMultipart("alternative")
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = os.environ["MAIL_FROM"]
msg["To"] = os.environ["MAIL_TO"]
msg.attach(MIMEText(body, "plain"))
msg.attach(MIMEText("<div><strong>" + body + "</strong></div>", "html"))

with smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]), timeout=10) as server:
    server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
    server.send_message(msg)
