#!/usr/bin/env python3
"""Python's smtplib against the sandbox's submission and smtps services,
with the default context that SSL_CERT_FILE points at the sandbox CA.

Environment: NETRUN_SANDBOX_SUBMISSION and NETRUN_SANDBOX_SMTPS
(host:port), SSL_CERT_FILE. Prints one JSON object. The same script runs
against Postfix with smtpd_tls_auth_only = yes (a submission port) and its
smtps port, to compare.
"""

import json
import os
import smtplib
import ssl
from email.message import EmailMessage


def split(name):
    host, port = os.environ[name].rsplit(":", 1)
    return host, int(port)


def message(subject):
    m = EmailMessage()
    m["From"] = "alice@example.test"
    m["To"] = "alice@example.test"
    m["Subject"] = subject
    m.set_content("sent by pysubmission.py\n")
    return m


def submission(host, port):
    out = {}
    s = smtplib.SMTP(host, port, timeout=30)
    s.ehlo()
    out["plain_features"] = sorted(s.esmtp_features)
    out["plain_auth"] = list(s.docmd("AUTH PLAIN AGFsaWNlAHNlY3JldA=="))
    out["plain_auth"][1] = out["plain_auth"][1].decode()
    try:
        s.login("alice", "secret")
        out["plain_login"] = "logged in"
    except smtplib.SMTPNotSupportedError as e:
        out["plain_login"] = type(e).__name__
    s.starttls(context=ssl.create_default_context())
    s.ehlo()
    out["tls_features"] = sorted(s.esmtp_features)
    out["tls_login"] = s.login("alice", "secret")[0]
    out["refused"] = list(s.send_message(message("submission")))
    s.quit()
    return out


def smtps(host, port):
    out = {}
    s = smtplib.SMTP_SSL(host, port, context=ssl.create_default_context(), timeout=30)
    out["cipher"] = bool(s.sock.cipher())
    out["login"] = s.login("alice", "secret")[0]
    out["refused"] = list(s.send_message(message("smtps")))
    s.quit()
    return out


def main():
    report = {}
    for name, fn, env in (("submission", submission, "NETRUN_SANDBOX_SUBMISSION"),
                          ("smtps", smtps, "NETRUN_SANDBOX_SMTPS")):
        try:
            report[name] = fn(*split(env))
        except ssl.SSLCertVerificationError as e:
            report[name] = {"verify_error": e.verify_message}
    print(json.dumps(report, sort_keys=True))


main()
