"""POP3 cleanup: delete every message whose Subject (decoded) contains
MAIL_SUBJECT, keep the others, print how many were deleted. DELE only marks
a message; the server deletes it when the session ends with QUIT."""
import os
import poplib
from email.header import decode_header
from email.parser import BytesParser


def decode(value):
    parts = []
    for text, charset in decode_header(value or ""):
        if isinstance(text, bytes):
            text = text.decode(charset or "utf-8", "replace")
        parts.append(text)
    return "".join(parts)


word = os.environ["MAIL_SUBJECT"]
pop = poplib.POP3(os.environ["POP3_HOST"], int(os.environ["POP3_PORT"]), timeout=10)
pop.user(os.environ["MAIL_USER"])
pop.pass_(os.environ["MAIL_PASSWORD"])
count, size = pop.stat()
deleted = 0
for i in range(1, count + 1):
    resp, lines, octets = pop.top(i, 0)  # the headers only
    headers = BytesParser().parsebytes(b"\r\n".join(lines), headersonly=True)
    if word in decode(headers["Subject"]):
        pop.dele(i)
        deleted += 1
pop.quit()  # commits the deletions
print(deleted)
