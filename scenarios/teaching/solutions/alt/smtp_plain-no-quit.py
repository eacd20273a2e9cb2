"""smtp_plain without quit(): sendmail() returns only once the server has
answered 250 to the end of the data, so the mail is delivered even though
the program never says QUIT and just ends (the socket closes with the
process). Sloppy, but not wrong for this exercise: full marks. MIMEText
with send_message, which takes the sender and the recipients from the
headers."""
import os
import smtplib
from email.mime.text import MIMEText

msg = MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8")
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = os.environ["MAIL_FROM"]
msg["To"] = os.environ["MAIL_TO"]

server = smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]), timeout=10)
server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
server.send_message(msg)
print("sent")
