"""POP3 cleanup that collects first and deletes after: the numbers of the
matching messages are gathered from TOP headers parsed with
email.message_from_bytes, then deleted, and quit() runs in a finally
block so that the deletions are committed even after an error."""
import email
import os
import poplib
from email.header import decode_header, make_header

host, port = os.environ["POP3_HOST"], int(os.environ["POP3_PORT"])
word = os.environ["MAIL_SUBJECT"]
box = poplib.POP3(host, port)
try:
    box.user(os.environ["MAIL_USER"])
    box.pass_(os.environ["MAIL_PASSWORD"])
    resp, listing, octets = box.list()
    doomed = []
    for line in listing:
        number = int(line.split()[0])
        resp, head, octets = box.top(number, 0)
        msg = email.message_from_bytes(b"\n".join(head))
        subject = str(make_header(decode_header(msg.get("Subject", ""))))
        if word in subject:
            doomed.append(number)
    for number in doomed:
        box.dele(number)
finally:
    box.quit()
print(len(doomed))
