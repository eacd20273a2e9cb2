"""pop3_reader that finds the newest mail with list() (the last entry is
the highest number), reads it with retr, parses it with compat32
BytesParser, and decodes each header with decode_header, joining the parts
by hand; the body by walking the parts. The header lines are printed
aligned in columns ("To:      Bob <...>"): blanks that do not matter."""
import os
import poplib
from email.header import decode_header
from email.parser import BytesParser


def decode(value):
    out = ""
    for text, charset in decode_header(value):
        out += text.decode(charset or "ascii") if isinstance(text, bytes) else text
    return out


server = poplib.POP3(os.environ["POP3_HOST"], int(os.environ["POP3_PORT"]), timeout=10)
server.user(os.environ["MAIL_USER"])
server.pass_(os.environ["MAIL_PASSWORD"])
resp, listing, octets = server.list()
newest = int(listing[-1].split()[0])
resp, lines, octets = server.retr(newest)
msg = BytesParser().parsebytes(b"\r\n".join(lines))
server.quit()

for name in ("From", "To", "Subject"):
    print("%-9s%s" % (name + ":", decode(msg.get(name))))  # aligned: "To:      ..."
print("")
for part in msg.walk():
    if part.get_content_type() == "text/plain":
        print(part.get_payload(decode=True).decode(part.get_content_charset("utf-8")))
        break
