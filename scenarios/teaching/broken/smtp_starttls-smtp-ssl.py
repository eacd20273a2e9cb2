"""BUG: the seed course's SMTP_SSL on a STARTTLS port: the program starts
a TLS handshake, the server sends its plain "220" greeting, and the
handshake fails (ssl.SSLError: WRONG_VERSION_NUMBER).
GRADING: no mail arrives: 0/9.
HINT: this port starts in clear text: connect with smtplib.SMTP, then call
starttls() before login(); SMTP_SSL is for implicit-TLS ports (465).
"""
import os
import smtplib
import ssl
from email.mime.text import MIMEText

msg = MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8")
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = os.environ["MAIL_FROM"]
msg["To"] = os.environ["MAIL_TO"]
server = smtplib.SMTP_SSL(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]),
                          context=ssl.create_default_context(), timeout=10)
server.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
server.sendmail(os.environ["MAIL_FROM"], [os.environ["MAIL_TO"]], msg.as_string())
server.quit()
