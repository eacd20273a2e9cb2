"""BUG: login before starttls(): the password crosses the network in
clear text. The sandbox (like Postfix with smtpd_tls_auth_only) offers no
AUTH before TLS, so login() raises SMTPNotSupportedError ("SMTP AUTH
extension not supported by server") and nothing is sent.
GRADING: no mail arrives: 0/9 (a server that took AUTH in clear would give
full marks: the exercise's server, the sandbox's submission, refuses it).
HINT: call starttls() first, then login(): the password must only travel
inside TLS.
"""
import os
import smtplib
import ssl
from email.mime.text import MIMEText

msg = MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8")
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = os.environ["MAIL_FROM"]
msg["To"] = os.environ["MAIL_TO"]
server = smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]), timeout=10)
server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
server.starttls(context=ssl.create_default_context())
server.sendmail(os.environ["MAIL_FROM"], [os.environ["MAIL_TO"]], msg.as_string())
server.quit()
