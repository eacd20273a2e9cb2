"""smtp_html with the headers written by hand, in the capitals some
tutorials use: "Content-Type: Text/HTML; Charset=UTF-8". Media types and
parameter names are case-insensitive (RFC 2045, section 5.1), so this is
as much an HTML mail as MIMEText's "text/html". The body goes in base64
and the subject as an RFC 2047 encoded word, so non-ASCII text is safe.
"""
import base64
import os
import smtplib
from email.header import Header

e = os.environ
body = base64.encodebytes(e["MAIL_BODY"].encode("utf-8")).decode("ascii").replace("\n", "\r\n")
msg = ("From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\n"
       "Content-Type: Text/HTML; Charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n%s") % (
    e["MAIL_FROM"], e["MAIL_TO"], Header(e["MAIL_SUBJECT"], "utf-8").encode(), body)
with smtplib.SMTP(e["SMTP_HOST"], int(e["SMTP_PORT"])) as server:
    server.login(e["MAIL_USER"], e["MAIL_PASSWORD"])
    server.sendmail(e["MAIL_FROM"], [e["MAIL_TO"]], msg)
print("mail sent to", e["MAIL_TO"])
