"""smtp_attachment with MIMEImage(data, "png") for the file and
send_message."""
import os
import smtplib
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

path = os.environ["ATTACHMENT"]
msg = MIMEMultipart("mixed")
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = os.environ["MAIL_FROM"]
msg["To"] = os.environ["MAIL_TO"]
msg.attach(MIMEText(os.environ["MAIL_BODY"]))
with open(path, "rb") as f:
    image = MIMEImage(f.read(), "png")
image.add_header("Content-Disposition", "attachment", filename=os.path.basename(path))
msg.attach(image)

server = smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]), timeout=10)
server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
server.send_message(msg)
server.quit()
