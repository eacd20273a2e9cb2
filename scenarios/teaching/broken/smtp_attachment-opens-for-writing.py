"""BUG: the file is opened with "w+b" instead of "rb". Mode "w" empties the
file before anything is read, so the mail carries an empty attachment and
the file itself is destroyed. Open input files with "rb".
"""
import os
import smtplib
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

host = os.environ["SMTP_HOST"]
port = int(os.environ["SMTP_PORT"])
user = os.environ["MAIL_USER"]
password = os.environ["MAIL_PASSWORD"]
sender = os.environ["MAIL_FROM"]
receiver = os.environ["MAIL_TO"]
path = os.environ["ATTACHMENT"]

msg = MIMEMultipart()
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = sender
msg["To"] = receiver
msg.attach(MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8"))

with open(path, "w+b") as f:  # BUG: "w+" empties the file before reading it
    part = MIMEApplication(f.read())
part.add_header("Content-Disposition", "attachment", filename=os.path.basename(path))
msg.attach(part)

server = smtplib.SMTP(host, port, timeout=10)
server.login(user, password)
server.sendmail(sender, [receiver], msg.as_string())
server.quit()
print("mail sent to", receiver)
