"""smtp_plain in the seed course's style (003): MIMEText with the subject
wrapped in email.header.Header, an explicit ehlo(), the recipients as a
list joined for the To header, and sendmail with msg.as_string()."""
import os
import smtplib
from email.header import Header
from email.mime.text import MIMEText


def send_mail(user, pwd, sender, receiver, content, title):
    message = MIMEText(content, "plain", "utf-8")  # 内容, 格式, 编码
    message["From"] = sender
    message["To"] = ",".join(receiver)
    message["Subject"] = Header(title, "utf-8")
    smtp_obj = smtplib.SMTP()
    smtp_obj.connect(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]))
    smtp_obj.ehlo()
    smtp_obj.login(user, pwd)
    smtp_obj.sendmail(sender, receiver, message.as_string())
    smtp_obj.quit()
    print("mail send successful!")


if __name__ == "__main__":
    send_mail(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"], os.environ["MAIL_FROM"],
              [os.environ["MAIL_TO"]], os.environ["MAIL_BODY"], os.environ["MAIL_SUBJECT"])
