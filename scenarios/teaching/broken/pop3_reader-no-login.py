"""BUG: the program never logs in: without user() and pass_() the POP3
server answers -ERR to STAT, poplib raises error_proto and nothing is
printed.
"""
import os
import poplib
from email.header import decode_header, make_header
from email.parser import BytesParser

pop = poplib.POP3(os.environ["POP3_HOST"], int(os.environ["POP3_PORT"]), timeout=10)
count, size = pop.stat()
resp, lines, octets = pop.retr(count)
msg = BytesParser().parsebytes(b"\r\n".join(lines))
for name in ("From", "To", "Subject"):
    print("%s: %s" % (name, make_header(decode_header(msg[name]))))
pop.quit()
