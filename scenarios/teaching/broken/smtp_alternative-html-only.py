"""BUG: only the HTML part is attached; a reader that shows text only
gets nothing.
"""
import html
import os
import smtplib
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

host = os.environ["SMTP_HOST"]
port = int(os.environ["SMTP_PORT"])
user = os.environ["MAIL_USER"]
password = os.environ["MAIL_PASSWORD"]
sender = os.environ["MAIL_FROM"]
receiver = os.environ["MAIL_TO"]
body = os.environ["MAIL_BODY"]

msg = MIMEMultipart("alternative")
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = sender
msg["To"] = receiver
# The last part is the one a mail reader prefers: plain first, HTML last.
msg.attach(MIMEText("<p><b>%s</b></p>" % html.escape(body), "html", "utf-8"))

server = smtplib.SMTP(host, port, timeout=10)
server.login(user, password)
server.sendmail(sender, [receiver], msg.as_string())
server.quit()
print("mail sent to", receiver)
