"""smtp_headers with EmailMessage and MAIL_FROM assigned as it is: the
modern policy parses "名字 <address>" and encodes the name alone (compat32's
MIMEText would encode the whole text, address included)."""
import os
import smtplib
from email.message import EmailMessage
from email.utils import parseaddr

msg = EmailMessage()
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = os.environ["MAIL_FROM"]
msg["To"] = os.environ["MAIL_TO"]
msg.set_content(os.environ["MAIL_BODY"])

server = smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]), timeout=10)
server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
server.sendmail(parseaddr(os.environ["MAIL_FROM"])[1], [os.environ["MAIL_TO"]], msg.as_bytes())
server.quit()
