"""imap_search with UIDs: imap.uid("search", ...) and imap.uid("fetch",
...), the whole header fetched (BODY.PEEK[HEADER]) and parsed with
policy.default, which decodes the subject; IMAP4 as a context manager
(it logs out when the block ends)."""
import email
import imaplib
import os
from email import policy

word = os.environ["MAIL_SUBJECT"]
with imaplib.IMAP4(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"])) as imap:
    imap.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
    imap.select("INBOX")
    typ, data = imap.uid("search", None, "SUBJECT", word)
    uids = data[0].split()
    print(len(uids))
    for uid in uids:
        typ, parts = imap.uid("fetch", uid, "(BODY.PEEK[HEADER])")
        msg = email.message_from_bytes(parts[0][1], policy=policy.default)
        print(msg["Subject"])
