"""BUG: the program marks the messages with dele() but ends without
quit(): the server only deletes at the end of a session closed with QUIT
(the UPDATE state, RFC 1939), so a dropped connection deletes nothing.
The count it prints is right.
GRADING: "the matching messages are gone" fails, "the others are kept"
and the printed count pass; about 3/5 remain.
HINT: dele() only marks a message: call quit() at the end, or nothing is
deleted.
"""
import os
import poplib
from email.header import decode_header, make_header
from email.parser import BytesParser

pop = poplib.POP3(os.environ["POP3_HOST"], int(os.environ["POP3_PORT"]), timeout=10)
pop.user(os.environ["MAIL_USER"])
pop.pass_(os.environ["MAIL_PASSWORD"])
count, size = pop.stat()
deleted = 0
for i in range(1, count + 1):
    resp, lines, octets = pop.top(i, 0)
    subject = BytesParser().parsebytes(b"\r\n".join(lines))["Subject"] or ""
    if os.environ["MAIL_SUBJECT"] in str(make_header(decode_header(subject))):
        pop.dele(i)
        deleted += 1
pop.close()
print(deleted)
