"""Send one plain-text mail through SMTP, logged in as MAIL_USER."""
import os
import smtplib
from email.mime.text import MIMEText

host = os.environ["SMTP_HOST"]
port = int(os.environ["SMTP_PORT"])
user = os.environ["MAIL_USER"]
password = os.environ["MAIL_PASSWORD"]
sender = os.environ["MAIL_FROM"]
receiver = os.environ["MAIL_TO"]

msg = MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8")
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = sender
msg["To"] = receiver

server = smtplib.SMTP(host, port, timeout=10)
server.login(user, password)
server.sendmail(sender, [receiver], msg.as_string())
server.quit()
print("mail sent to", receiver)
