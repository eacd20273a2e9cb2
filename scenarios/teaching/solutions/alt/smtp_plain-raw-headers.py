"""smtp_plain written by hand, without the email package: the From, To and
Subject headers, a blank line, then the body, given to sendmail() as a str
with CRLF line ends. It has no Content-Type header, and needs none: a mail
without one is text/plain; charset=us-ascii (RFC 2045, section 5.2), and
the subject and the body here are ASCII.
"""
import os
import smtplib

e = os.environ
msg = "From: %s\r\nTo: %s\r\nSubject: %s\r\n\r\n%s\r\n" % (
    e["MAIL_FROM"], e["MAIL_TO"], e["MAIL_SUBJECT"], e["MAIL_BODY"])
with smtplib.SMTP(e["SMTP_HOST"], int(e["SMTP_PORT"])) as server:
    server.login(e["MAIL_USER"], e["MAIL_PASSWORD"])
    server.sendmail(e["MAIL_FROM"], [e["MAIL_TO"]], msg)
