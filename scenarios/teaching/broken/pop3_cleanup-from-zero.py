"""BUG: the loop counts from 0, as Python lists do: range(count) asks for
message 0 first, which POP3 does not have (messages are numbered from 1),
so the server answers -ERR, poplib raises error_proto and the program
ends with a traceback before deleting anything.
GRADING: exit status 1, nothing deleted, nothing printed; only "the
other mails are kept" passes: 1/5.
HINT: POP3 numbers the messages from 1 to the count that stat() gives:
range(1, count + 1).
"""
import os
import poplib
from email.header import decode_header, make_header
from email.parser import BytesParser

pop = poplib.POP3(os.environ["POP3_HOST"], int(os.environ["POP3_PORT"]))
pop.user(os.environ["MAIL_USER"])
pop.pass_(os.environ["MAIL_PASSWORD"])
count, size = pop.stat()
deleted = 0
for i in range(count):
    resp, lines, octets = pop.top(i, 0)
    msg = BytesParser().parsebytes(b"\r\n".join(lines))
    if os.environ["MAIL_SUBJECT"] in str(make_header(decode_header(msg["Subject"]))):
        pop.dele(i)
        deleted += 1
pop.quit()
print(deleted)
