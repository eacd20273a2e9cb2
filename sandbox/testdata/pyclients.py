#!/usr/bin/env python3
"""Drive the netrun sandbox's mail services with Python's own clients.

Run by TestPythonClients (pyclients_test.go). The addresses come from the
environment: NETRUN_SANDBOX_CA (the CA's PEM file) and NETRUN_SANDBOX_SMTP,
_SMTPS, _IMAP, _IMAPS, _POP3, _POP3S (host:port). TLS is always verified
against the sandbox CA. The script prints one JSON object of what the
clients saw; the Go test checks it. Any unexpected error ends the script
with a traceback and a non-zero status.
"""

import email
import email.policy
import imaplib
import json
import os
import poplib
import smtplib
import ssl
import sys
import uuid
from email.message import EmailMessage

TIMEOUT = 30  # seconds; only keeps a broken server from hanging the test
USER, PASSWORD = "alice", "secret"
TO = "alice@example.test"


def addr(name):
    host, _, port = os.environ["NETRUN_SANDBOX_" + name].rpartition(":")
    return host, int(port)


def message(token, subject_word):
    msg = EmailMessage()
    msg["From"] = "Carol <carol@example.test>"
    msg["To"] = TO
    msg["Subject"] = f"{subject_word} {token}"
    msg["X-Netrun-Token"] = token
    msg.set_content(f"Hello from Python, {token}.\n.a line that starts with a dot\n")
    return msg


def smtp_starttls(ctx, token):
    host, port = addr("SMTP")
    with smtplib.SMTP(host, port, timeout=TIMEOUT) as s:
        s.ehlo("python.example.test")
        offered = s.has_extn("starttls")
        s.starttls(context=ctx)
        s.ehlo("python.example.test")
        auth = s.esmtp_features.get("auth", "")
        code, _ = s.login(USER, PASSWORD)  # PLAIN, Python's first choice here
        refused = s.send_message(message(token, "Grüße"))
        return {"starttls_offered": offered, "auth": auth, "login": code,
                "tls": s.sock.version() is not None, "refused": sorted(refused)}


def smtp_ssl(ctx, token):
    host, port = addr("SMTPS")
    with smtplib.SMTP_SSL(host, port, context=ctx, timeout=TIMEOUT) as s:
        s.ehlo("python.example.test")
        s.user, s.password = USER, PASSWORD
        code, _ = s.auth("LOGIN", s.auth_login)
        refused = s.send_message(message(token, "Plain"))
        return {"login": code, "refused": sorted(refused)}


def smtp_failures(ctx):
    host, port = addr("SMTP")
    out = {}
    with smtplib.SMTP(host, port, timeout=TIMEOUT) as s:
        s.starttls(context=ctx)
        try:
            s.login(USER, "wrong")
            out["bad_login"] = 0
        except smtplib.SMTPAuthenticationError as e:
            out["bad_login"] = e.smtp_code
        try:
            s.sendmail("carol@example.test", ["nobody@example.test"], "Subject: x\r\n\r\nx\r\n")
            out["unknown_rcpt"] = 0
        except smtplib.SMTPRecipientsRefused as e:
            out["unknown_rcpt"] = e.recipients["nobody@example.test"][0]
    return out


def fetch_peek(imap, criteria):
    """Search, fetch the first hit with BODY.PEEK[], and report it."""
    typ, data = imap.search(None, *criteria)
    nums = data[0].split()
    if not nums:
        return {"found": 0}
    typ, data = imap.fetch(nums[0], "(BODY.PEEK[])")
    msg = email.message_from_bytes(data[0][1], policy=email.policy.default)
    typ, flags = imap.fetch(nums[0], "(FLAGS)")
    return {"found": len(nums), "subject": str(msg["Subject"]),
            "token": str(msg["X-Netrun-Token"]),
            "received": msg["Received"] is not None,
            "body": msg.get_content(),
            "seen": b"\\Seen" in flags[0]}


def imap_starttls(ctx, token):
    host, port = addr("IMAP")
    with imaplib.IMAP4(host, port, timeout=TIMEOUT) as imap:
        offered = "STARTTLS" in imap.capabilities
        imap.starttls(ssl_context=ctx)
        imap.login(USER, PASSWORD)
        imap.select("INBOX")
        out = fetch_peek(imap, ["SUBJECT", token])
        out["starttls_offered"] = offered
        typ, data = imap.uid("SEARCH", "UNSEEN", "SINCE", "1-Jan-2020", "FROM", "carol")
        out["unseen_uids"] = len(data[0].split())
        # A wrong password on a plain connection, which the sandbox allows.
        plain = imaplib.IMAP4(host, port, timeout=TIMEOUT)
        try:
            plain.login(USER, "wrong")
            out["bad_login"] = "OK"
        except imaplib.IMAP4.error as e:
            out["bad_login"] = str(e)
        finally:
            plain.logout()
        return out


def imap_ssl(ctx, token):
    host, port = addr("IMAPS")
    imap = imaplib.IMAP4_SSL(host, port, ssl_context=ctx, timeout=TIMEOUT)
    imap.login(USER, PASSWORD)
    imap.select("INBOX")
    out = fetch_peek(imap, ["HEADER", "X-Netrun-Token", token])
    typ, _ = imap.create("Python")
    out["create"] = typ
    imap.logout()
    return out


def pop3_stls(ctx, token):
    host, port = addr("POP3")
    pop = poplib.POP3(host, port, timeout=TIMEOUT)
    try:
        caps = pop.capa()
        pop.stls(context=ctx)
        pop.user(USER)
        pop.pass_(PASSWORD)
        count, _ = pop.stat()
        found = None
        for i in range(1, count + 1):
            _, lines, _ = pop.retr(i)
            msg = email.message_from_bytes(b"\r\n".join(lines) + b"\r\n", policy=email.policy.default)
            if msg["X-Netrun-Token"] == token:
                found = {"number": i, "subject": str(msg["Subject"]), "body": msg.get_content()}
                pop.dele(i)
        return {"caps": sorted(caps), "count": count, "found": found}
    finally:
        pop.quit()


def pop3_ssl(ctx):
    host, port = addr("POP3S")
    pop = poplib.POP3_SSL(host, port, context=ctx, timeout=TIMEOUT)
    try:
        pop.user(USER)
        pop.pass_(PASSWORD)
        count, _ = pop.stat()
        _, listing, _ = pop.list()
        _, uidl, _ = pop.uidl()
        subjects = []
        for i in range(1, count + 1):
            _, lines, _ = pop.top(i, 0)
            msg = email.message_from_bytes(b"\r\n".join(lines) + b"\r\n", policy=email.policy.default)
            subjects.append(str(msg["Subject"]))
            pop.dele(i)
        return {"count": count, "listed": len(listing), "uidl": len(uidl), "subjects": subjects}
    finally:
        pop.quit()


def imap_after(ctx):
    host, port = addr("IMAPS")
    imap = imaplib.IMAP4_SSL(host, port, ssl_context=ctx, timeout=TIMEOUT)
    imap.login(USER, PASSWORD)
    imap.select("INBOX")
    typ, data = imap.search(None, "ALL")
    imap.logout()
    return {"left": len(data[0].split())}


def main():
    ctx = ssl.create_default_context(cafile=os.environ["NETRUN_SANDBOX_CA"])
    t1, t2 = "py-" + uuid.uuid4().hex[:12], "py-" + uuid.uuid4().hex[:12]
    out = {"tokens": [t1, t2]}
    out["smtp_starttls"] = smtp_starttls(ctx, t1)
    out["smtp_ssl"] = smtp_ssl(ctx, t2)
    out["smtp_failures"] = smtp_failures(ctx)
    out["imap_starttls"] = imap_starttls(ctx, t1)
    out["imap_ssl"] = imap_ssl(ctx, t2)
    out["pop3_stls"] = pop3_stls(ctx, t1)
    out["pop3_ssl"] = pop3_ssl(ctx)
    out["imap_after"] = imap_after(ctx)
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
