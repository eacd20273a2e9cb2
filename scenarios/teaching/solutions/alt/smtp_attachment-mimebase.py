"""smtp_attachment with MIMEBase("application", "octet-stream"),
set_payload and encoders.encode_base64, the way many tutorials attach a
file, and the Content-Disposition written by hand. Sent with sendmail and
as_string."""
import os
import smtplib
from email import encoders
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

sender, receiver = os.environ["MAIL_FROM"], os.environ["MAIL_TO"]
path = os.environ["ATTACHMENT"]
msg = MIMEMultipart()
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = sender
msg["To"] = receiver
msg.attach(MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8"))

part = MIMEBase("application", "octet-stream")
with open(path, "rb") as f:
    part.set_payload(f.read())
encoders.encode_base64(part)
part.add_header("Content-Disposition", 'attachment; filename="%s"' % os.path.basename(path))
msg.attach(part)

server = smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]), timeout=10)
server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
server.sendmail(sender, [receiver], msg.as_string())
server.quit()
