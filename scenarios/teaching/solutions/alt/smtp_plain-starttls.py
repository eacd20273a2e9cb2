"""smtp_plain the way mail providers' port 587 asks: ehlo(), starttls(),
ehlo() again, then login on the encrypted connection. The sandbox offers
STARTTLS on its plain port; Python's starttls() without a context does not
verify the certificate."""
import os
import smtplib
from email.mime.text import MIMEText

sender, receiver = os.environ["MAIL_FROM"], os.environ["MAIL_TO"]
msg = MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8")
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = sender
msg["To"] = receiver

server = smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]), timeout=10)
server.ehlo()
server.starttls()
server.ehlo()
server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
server.sendmail(sender, [receiver], msg.as_string())
server.quit()
