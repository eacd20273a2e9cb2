"""smtp_attachment in the modern style: EmailMessage.set_content for the
text, add_attachment(data, maintype, subtype, filename) for the file (the
message becomes multipart/mixed), send_message."""
import mimetypes
import os
import smtplib
from email.message import EmailMessage

path = os.environ["ATTACHMENT"]
msg = EmailMessage()
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = os.environ["MAIL_FROM"]
msg["To"] = os.environ["MAIL_TO"]
msg.set_content(os.environ["MAIL_BODY"])
ctype, _ = mimetypes.guess_type(path)
maintype, subtype = (ctype or "application/octet-stream").split("/", 1)
with open(path, "rb") as f:
    msg.add_attachment(f.read(), maintype=maintype, subtype=subtype, filename=os.path.basename(path))

with smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]), timeout=10) as server:
    server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
    server.send_message(msg)
print("sent")
