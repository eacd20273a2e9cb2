"""STARTTLS as most tutorials write it: ehlo(), starttls() with no
argument, ehlo() again, login, sendmail with the message's text. Python's
starttls() without a context does not verify the certificate; grading
cannot tell, and gives full marks."""
import os
import smtplib
from email.header import Header
from email.mime.text import MIMEText

host = os.environ["SMTP_HOST"]
port = int(os.environ["SMTP_PORT"])
sender = os.environ["MAIL_FROM"]
receiver = os.environ["MAIL_TO"]

msg = MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8")
msg["From"] = sender
msg["To"] = receiver
msg["Subject"] = Header(os.environ["MAIL_SUBJECT"], "utf-8")

server = smtplib.SMTP(host, port)
server.ehlo()
server.starttls()
server.ehlo()
server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
server.sendmail(sender, [receiver], msg.as_string())
server.quit()
print("sent")
