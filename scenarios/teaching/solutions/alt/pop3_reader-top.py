"""pop3_reader with top(): the header and the first lines of the body
without retr, parsed as text the seed course's way (Parser().parsestr on
the lines decoded), and the headers decoded with
str(make_header(decode_header(...)))."""
import os
import poplib
from email.header import decode_header, make_header
from email.parser import Parser

recv = poplib.POP3(os.environ["POP3_HOST"], int(os.environ["POP3_PORT"]))
recv.user(os.environ["MAIL_USER"])
recv.pass_(os.environ["MAIL_PASSWORD"])
num, size = recv.stat()
rsp, lines, octets = recv.top(num, 50)  # the header and 50 lines of the body
msg = Parser().parsestr(b"\r\n".join(lines).decode("utf-8"))
recv.quit()

for name in ("From", "To", "Subject"):
    print("%s: %s" % (name, make_header(decode_header(msg[name]))))
print()
charset = msg.get_content_charset() or "utf-8"
print(msg.get_payload(decode=True).decode(charset))
