"""BUG: sendmail() gets the message object instead of its text: sendmail
wants a str or bytes (msg.as_string()), so it fails with "TypeError:
expected string or bytes-like object" after MAIL FROM and RCPT TO, and no
mail is sent. send_message(msg) takes the object.
"""
import os
import smtplib
from email.mime.text import MIMEText

sender, receiver = os.environ["MAIL_FROM"], os.environ["MAIL_TO"]
msg = MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8")
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = sender
msg["To"] = receiver

server = smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]), timeout=10)
server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
server.sendmail(sender, [receiver], msg)
server.quit()
