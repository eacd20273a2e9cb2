"""BUG: the message is written by hand as a str. smtplib sends a str message
as ASCII, so a Chinese subject fails with "UnicodeEncodeError: 'ascii'
codec can't encode characters" and no mail is sent. Build it with
email.mime and encode the headers with email.header.Header.
"""
import os
import smtplib
from email.utils import parseaddr

host = os.environ["SMTP_HOST"]
port = int(os.environ["SMTP_PORT"])
user = os.environ["MAIL_USER"]
password = os.environ["MAIL_PASSWORD"]
name, sender = parseaddr(os.environ["MAIL_FROM"])
receiver = os.environ["MAIL_TO"]

msg = "From: %s\r\nTo: %s\r\nSubject: %s\r\n\r\n%s\r\n" % (
    os.environ["MAIL_FROM"], receiver, os.environ["MAIL_SUBJECT"], os.environ["MAIL_BODY"])

server = smtplib.SMTP(host, port, timeout=10)
server.login(user, password)
server.sendmail(sender, [receiver], msg)
server.quit()
print("mail sent to", receiver)
