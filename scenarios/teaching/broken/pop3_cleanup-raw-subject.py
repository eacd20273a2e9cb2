"""BUG: the Subject is searched as it is in the header, without decoding
it: a Chinese subject is "=?utf-8?b?5riF55CG?=" there, so a Chinese
MAIL_SUBJECT never matches and nothing is deleted (an ASCII word would
still match).
GRADING: with a Chinese MAIL_SUBJECT: "the matching messages are gone"
and the count fail, "the others are kept" passes; about 2/5 remain.
HINT: decode the subject first (email.header.decode_header and
make_header, or a parser with policy=email.policy.default).
"""
import os
import poplib
from email.parser import BytesParser

pop = poplib.POP3(os.environ["POP3_HOST"], int(os.environ["POP3_PORT"]), timeout=10)
pop.user(os.environ["MAIL_USER"])
pop.pass_(os.environ["MAIL_PASSWORD"])
count, size = pop.stat()
deleted = 0
for i in range(1, count + 1):
    resp, lines, octets = pop.top(i, 0)
    if os.environ["MAIL_SUBJECT"] in (BytesParser().parsebytes(b"\r\n".join(lines))["Subject"] or ""):
        pop.dele(i)
        deleted += 1
pop.quit()
print(deleted)
