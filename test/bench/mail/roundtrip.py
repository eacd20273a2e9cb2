#!/usr/bin/env python3
"""P2 baseline: the round trip of scenarios/mail_roundtrip.yaml with
Python's standard library only (smtplib, imaplib, poplib), against the
servers named by the NETRUN_* variables (test/realservers). It sends a mail
with an attachment over SMTP (STARTTLS or implicit TLS), waits for it over
IMAP (STARTTLS), finds and reads it over POP3 (STLS), and deletes it, as the
scenario does, with the same retry schedule (50 ms doubling to 500 ms)."""
import email
import email.message
import email.policy
import imaplib
import os
import poplib
import smtplib
import ssl
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))


def hostport(var):
    h, p = os.environ[var].rsplit(":", 1)
    return h, int(p)


def main():
    ctx = ssl.create_default_context(cafile=os.environ.get("NETRUN_CA") or None)
    user = os.environ.get("NETRUN_MAIL_USER", "alice")
    password = os.environ.get("NETRUN_MAIL_PASSWORD", "secret")
    to = os.environ.get("NETRUN_MAIL_TO", "alice@example.test")
    token = "python-" + str(uuid.uuid4())

    msg = email.message.EmailMessage()
    msg["From"] = "netrun <%s>" % to
    msg["To"] = to
    msg["Subject"] = "netrun round trip " + token
    msg["X-Netrun-Token"] = token
    msg.set_content("Hello from netrun. Token: " + token)
    with open(os.path.join(HERE, "..", "..", "..", "scenarios", "testdata", "attachment.txt"), "rb") as f:
        msg.add_attachment(f.read(), maintype="text", subtype="plain", filename="attachment.txt")

    host, port = hostport("NETRUN_SMTP")
    if os.environ.get("NETRUN_SMTP_TLS", "starttls") == "implicit":
        smtp = smtplib.SMTP_SSL(host, port, context=ctx, timeout=20)
    else:
        smtp = smtplib.SMTP(host, port, timeout=20)
        smtp.starttls(context=ctx)
    smtp.login(user, password)
    smtp.send_message(msg)
    smtp.quit()

    host, port = hostport("NETRUN_IMAP")
    imap = imaplib.IMAP4(host, port, timeout=20)
    imap.starttls(ssl_context=ctx)
    imap.login(user, password)
    imap.select("INBOX")
    wait, deadline = 0.05, time.monotonic() + 60
    while True:
        typ, data = imap.uid("SEARCH", None, "HEADER", "X-Netrun-Token", token)
        uids = data[0].split()
        if uids:
            break
        if time.monotonic() > deadline:
            sys.exit("mail not delivered")
        time.sleep(wait)
        wait = min(wait * 2, 0.5)
    typ, data = imap.uid("FETCH", uids[0], "(RFC822)")
    got = email.message_from_bytes(data[0][1], policy=email.policy.default)
    assert got["Subject"] == "netrun round trip " + token

    host, port = hostport("NETRUN_POP3")
    pop = poplib.POP3(host, port, timeout=20)
    pop.stls(context=ctx)
    pop.user(user)
    pop.pass_(password)
    n = None
    for line in pop.list()[1]:
        num = int(line.split()[0])
        head = email.message_from_bytes(b"\r\n".join(pop.top(num, 0)[1]), policy=email.policy.default)
        if head["X-Netrun-Token"] == token:
            n = num
    assert n is not None
    body = email.message_from_bytes(b"\r\n".join(pop.retr(n)[1]), policy=email.policy.default)
    assert body["Subject"] == "netrun round trip " + token
    pop.quit()

    imap.uid("STORE", uids[0], "+FLAGS", "(\\Deleted)")
    imap.expunge()
    imap.logout()


if __name__ == "__main__":
    main()
