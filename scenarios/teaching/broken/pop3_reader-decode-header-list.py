"""BUG: decode_header() returns a list of (bytes, charset) pairs, not the
text: printing it shows "[(b'\\xe7\\xbd...', 'utf-8')]". Decode each part
with its charset and join them, or use str(make_header(decode_header(v))).
"""
import os
import poplib
from email.header import decode_header
from email.parser import BytesParser
from email.utils import parseaddr

pop = poplib.POP3(os.environ["POP3_HOST"], int(os.environ["POP3_PORT"]), timeout=10)
pop.user(os.environ["MAIL_USER"])
pop.pass_(os.environ["MAIL_PASSWORD"])
count, size = pop.stat()
resp, lines, octets = pop.retr(count)
msg = BytesParser().parsebytes(b"\r\n".join(lines))
name, addr = parseaddr(msg["From"])
text, charset = decode_header(name)[0]
print("From: %s <%s>" % (text.decode(charset) if charset else text, addr))
print("To: " + msg["To"])
print("Subject:", decode_header(msg["Subject"]))
print()
for part in msg.walk():
    if part.get_content_type() == "text/plain":
        print(part.get_payload(decode=True).decode(part.get_content_charset()))
pop.quit()
