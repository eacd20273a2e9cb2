"""nntp_reader with over() (the overview database: one dict of headers per
article), nntplib.decode_header, and article() for the body, the article
parsed with compat32 BytesParser. nntplib is in Python up to 3.12 only."""
import nntplib
import os
from email.parser import BytesParser

with nntplib.NNTP(os.environ["NNTP_HOST"], int(os.environ["NNTP_PORT"])) as s:
    resp, count, first, last, name = s.group(os.environ["NNTP_GROUP"])
    resp, overviews = s.over((last, last))
    number, over = overviews[-1]
    print("From: " + nntplib.decode_header(over["from"]))
    print("Subject: " + nntplib.decode_header(over["subject"]))
    print("Date: " + over["date"])
    resp, info = s.article(number)
article = BytesParser().parsebytes(b"\r\n".join(info.lines))
print()
text = article.get_payload(decode=True).decode(article.get_content_charset() or "utf-8")
print("\n".join(text.splitlines()[:5]))
