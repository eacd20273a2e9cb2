"""BUG: the article is written by hand as one string, with the Chinese
subject and sender name as they are, and sent as UTF-8: the header is not
ASCII. News and mail headers are ASCII, other text goes in RFC 2047
encoded words; many servers and readers refuse or garble raw 8-bit
headers (the sandbox takes them, so the rest passes).
GRADING: everything passes but "the header is ASCII": 6/7.
HINT: encode the subject with email.header.Header(MAIL_SUBJECT, "utf-8")
and the name with formataddr, or build the article with EmailMessage.
"""
import os
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import nntplib

article = ("From: %s\r\nNewsgroups: %s\r\nSubject: %s\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\n%s") % (
    os.environ["MAIL_FROM"], os.environ["NNTP_GROUP"], os.environ["MAIL_SUBJECT"], os.environ["MAIL_BODY"])
s = nntplib.NNTP(os.environ["NNTP_HOST"], int(os.environ["NNTP_PORT"]), readermode=True)
s.login(os.environ["MAIL_USER"], os.environ["MAIL_PASSWORD"])
print(s.post(article.encode("utf-8")))
s.quit()
