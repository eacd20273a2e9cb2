"""The other seed's SMTP_SSL example (seeds/000, 案例01): the host given as
bytes, smtp_srv.encode(), port 465 style, no context, and the whole
exchange in try/except that prints the error. With the headers the
exercise asks for; everything else as the course writes it."""
import os
import smtplib
from email.mime.text import MIMEText

# MIMEText三个主要参数: 邮件内容, MIME子类型, 邮件编码格式
msg = MIMEText(os.environ["MAIL_BODY"], "plain", "utf-8")
msg["Subject"] = os.environ["MAIL_SUBJECT"]
msg["From"] = os.environ["MAIL_FROM"]
msg["To"] = os.environ["MAIL_TO"]
from_addr = os.environ["MAIL_FROM"]
from_pwd = os.environ["MAIL_PASSWORD"]
to_addr = os.environ["MAIL_TO"]
smtp_srv = os.environ["SMTP_HOST"]
try:
    srv = smtplib.SMTP_SSL(smtp_srv.encode(), int(os.environ["SMTP_PORT"]))
    srv.login(os.environ["MAIL_USER"], from_pwd)
    # 发送地址, 接受地址 (list), 发送内容 (字符串)
    srv.sendmail(from_addr, [to_addr], msg.as_string())
    srv.quit()
except Exception as e:
    print(e)
