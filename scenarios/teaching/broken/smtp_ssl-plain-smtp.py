"""BUG: smtplib.SMTP on the implicit-TLS port: the server waits for a TLS
ClientHello, the program waits for the "220" greeting, and both wait until
the timeout (SMTPServerDisconnected or a timeout error, exit 1).
GRADING: no mail arrives: every check fails, 0/7, after the program's
10 s timeout.
HINT: port 465 style servers speak TLS from the first byte: use
smtplib.SMTP_SSL(host, port, context=ssl.create_default_context()).
"""
import os
import smtplib
from email.mime.text import MIMEText

msg = MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8")
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = os.environ["MAIL_FROM"]
msg["To"] = os.environ["MAIL_TO"]
server = smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]), timeout=10)
server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
server.sendmail(os.environ["MAIL_FROM"], [os.environ["MAIL_TO"]], msg.as_string())
server.quit()
