"""IMAP flags with UIDs: uid("search"), uid("fetch") and uid("store"), and
the From header parsed by policy.default."""
import imaplib
import os
from email import policy
from email.parser import BytesParser

wanted = BytesParser(policy=policy.default).parsebytes(
    ("From: %s\r\n\r\n" % os.environ["MAIL_FROM"]).encode("utf-8"))["From"].addresses[0].addr_spec.lower()
with imaplib.IMAP4(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"]), timeout=10) as imap:
    imap.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
    imap.select("INBOX")
    typ, data = imap.uid("search", None, "ALL")
    count = 0
    for uid in data[0].split():
        typ, parts = imap.uid("fetch", uid, "(BODY.PEEK[HEADER.FIELDS (FROM)])")
        header = BytesParser(policy=policy.default).parsebytes(parts[0][1])
        addresses = header["From"].addresses if header["From"] else ()
        if any(a.addr_spec.lower() == wanted for a in addresses):
            imap.uid("store", uid, "+FLAGS", "(\\Flagged)")
            count += 1
print(count)
