"""smtp_html with MIMEText(html, "html") and no charset (the body is
ASCII, so MIMEText picks us-ascii and 7bit), sent as bytes with
sendmail(sender, receiver, msg.as_bytes())."""
import os
import smtplib
from email.mime.text import MIMEText

sender, receiver = os.environ["MAIL_FROM"], os.environ["MAIL_TO"]
msg = MIMEText(os.environ["MAIL_BODY"], "html")
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = sender
msg["To"] = receiver

server = smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]), timeout=10)
try:
    server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
    server.sendmail(sender, receiver, msg.as_bytes())
finally:
    server.quit()
