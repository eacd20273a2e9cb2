"""BUG: the From header is set to MAIL_FROM as it is. Python then encodes
the whole "名字 <address>" as one RFC 2047 word, address included, and a
mail reader finds no address in it. Encode only the display name:
formataddr((Header(name, "utf-8").encode(), address)).
"""
import os
import smtplib
from email.header import Header
from email.mime.text import MIMEText
from email.utils import parseaddr

host = os.environ["SMTP_HOST"]
port = int(os.environ["SMTP_PORT"])
user = os.environ["MAIL_USER"]
password = os.environ["MAIL_PASSWORD"]
name, sender = parseaddr(os.environ["MAIL_FROM"])
receiver = os.environ["MAIL_TO"]

msg = MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8")
msg["Subject"] = Header(os.environ["MAIL_SUBJECT"], "utf-8")
msg["From"] = os.environ["MAIL_FROM"]
msg["To"] = receiver

server = smtplib.SMTP(host, port, timeout=10)
server.login(user, password)
server.sendmail(sender, [receiver], msg.as_string())
server.quit()
print("mail sent to", receiver)
