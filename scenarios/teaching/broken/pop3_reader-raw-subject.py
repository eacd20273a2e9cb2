"""BUG: the Subject header is printed as it is in the mail: a Chinese
subject shows as "=?utf-8?b?...?=". Decode it with
email.header.decode_header.
"""
import os
import poplib
from email.header import decode_header
from email.parser import BytesParser
from email.utils import parseaddr


def decode(value):
    """Decode RFC 2047 encoded words into one str."""
    parts = []
    for text, charset in decode_header(value or ""):
        if isinstance(text, bytes):
            text = text.decode(charset or "utf-8", "replace")
        parts.append(text)
    return "".join(parts)


def address(value):
    name, addr = parseaddr(value or "")
    name = decode(name)
    return "%s <%s>" % (name, addr) if name else addr


def text_body(msg):
    """The first text/plain part that is not an attachment, decoded."""
    for part in msg.walk():
        if part.get_content_type() == "text/plain" and part.get_filename() is None:
            payload = part.get_payload(decode=True) or b""
            return payload.decode(part.get_content_charset() or "utf-8", "replace")
    return ""


pop = poplib.POP3(os.environ["POP3_HOST"], int(os.environ["POP3_PORT"]), timeout=10)
pop.user(os.environ["MAIL_USER"])
pop.pass_(os.environ["MAIL_PASSWORD"])
count, size = pop.stat()
if count == 0:
    print("the mailbox is empty")
else:
    resp, lines, octets = pop.retr(count)  # the highest number is the newest
    msg = BytesParser().parsebytes(b"\r\n".join(lines))
    print("From: " + address(msg["From"]))
    print("To: " + address(msg["To"]))
    print("Subject: " + msg["Subject"])
    print()
    print(text_body(msg))
pop.quit()
