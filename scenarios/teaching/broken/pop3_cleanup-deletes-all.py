"""BUG: the test is the wrong way round and deletes every message whose
subject does NOT contain the word (the beginner wrote `not in` to "keep"
the matching ones): the maildrop ends with only the messages it should
have deleted.
GRADING: both maildrop checks and the count fail: 0/5.
HINT: delete the messages whose subject contains MAIL_SUBJECT and keep
the others: if MAIL_SUBJECT in subject: dele(i).
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
    subject = str(make_header(decode_header(BytesParser().parsebytes(b"\r\n".join(lines))["Subject"] or "")))
    if os.environ["MAIL_SUBJECT"] not in subject:
        pop.dele(i)
        deleted += 1
pop.quit()
print(deleted)
