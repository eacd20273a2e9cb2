"""nntp_reader with nntplib's head() and body() instead of article(), the
header parsed with policy.default (which decodes From and Subject).
nntplib is in Python up to 3.12 only."""
import email
import nntplib
import os
from email import policy

news = nntplib.NNTP(os.environ["NNTP_HOST"], int(os.environ["NNTP_PORT"]))
resp, count, first, last, name = news.group(os.environ["NNTP_GROUP"])
resp, head = news.head(last)
resp, body = news.body(last)
news.quit()

header = email.message_from_bytes(b"\r\n".join(head.lines) + b"\r\n\r\n", policy=policy.default)
print("From:", header["From"])
print("Subject:", header["Subject"])
print("Date:", header["Date"])
print()
for line in body.lines[:5]:
    print(line.decode("utf-8", "replace"))
