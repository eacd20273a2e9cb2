#!/usr/bin/env python3
"""SMTP conformance exchanges with smtplib (see common.py).

Mail goes to --to (a local user of both servers). With --tls-port, the
exchanges of SMTP_SSL (implicit TLS, the seed course's port 465) run too.
"""

import smtplib
from email.message import EmailMessage

import common

# What EHLO may offer that a client relies on; the rest (SIZE's number,
# PIPELINING, CHUNKING, …) is the server's own.
FEATURES = ("starttls", "auth", "8bitmime", "size", "smtputf8")


def extra(p):
    p.add_argument("--to", required=True)
    p.add_argument("--tls-port", type=int, default=0)


def reply(r):
    """(code, text) of smtplib."""
    code, _ = r
    return str(code), "tuple[2]", None


def features(s):
    def norm(r):
        code, _ = r
        return str(code), "tuple[2]", sorted(f for f in s.esmtp_features if f in FEATURES)
    return norm


def auth_mechs(s):
    return sorted(m for m in s.esmtp_features.get("auth", "").split() if m in ("PLAIN", "LOGIN"))


def refused(r):
    """sendmail's dict of refused recipients: their codes."""
    return "ok", "dict[%d]" % len(r), {k: v[0] for k, v in r.items()}


def message(a, subject):
    m = EmailMessage()
    m["From"] = "conformance@example.test"
    m["To"] = a.to
    m["Subject"] = subject
    m.set_content("Grüße from the conformance table\n.a line that starts with a dot\n")
    return m


def reconnect(a, s):
    """Ends session s and starts another on the plain port, after EHLO."""
    s.quit()
    s = smtplib.SMTP(a.host, a.port, timeout=common.TIMEOUT)
    s.ehlo()
    return s


def plain(a, r):
    """The plain port: what a client sees before and after STARTTLS."""
    s = smtplib.SMTP(a.host, a.port, timeout=common.TIMEOUT)
    r.ex("ehlo", s.ehlo, features(s))
    r.ex("auth mechanisms before TLS", lambda: auth_mechs(s), lambda m: ("ok", "list", m))
    r.ex("unknown command", lambda: s.docmd("XYZZY"), reply)
    r.ex("rcpt before mail", lambda: s.docmd("RCPT", "TO:<%s>" % a.to), reply)
    r.ex("data before mail", lambda: s.docmd("DATA"), reply)
    r.ex("mail from bad syntax", lambda: s.docmd("MAIL", "FROM:nobody"), reply)
    r.ex("empty line", lambda: s.docmd(""), reply)
    r.ex("help", lambda: s.docmd("HELP"), reply)
    r.ex("vrfy", lambda: s.verify(a.to), reply)
    r.ex("mail before ehlo", lambda: smtplib.SMTP(a.host, a.port, timeout=common.TIMEOUT).docmd("MAIL", "FROM:<x@example.test>"), reply)
    r.ex("ehlo no argument", lambda: s.docmd("EHLO"), reply)
    r.ex("vrfy no argument", lambda: s.docmd("VRFY"), reply)
    r.ex("auth before ehlo", lambda: smtplib.SMTP(a.host, a.port, timeout=common.TIMEOUT).docmd("AUTH", "PLAIN"), reply)
    r.ex("mail bad body", lambda: (s.ehlo(), s.docmd("MAIL", "FROM:<x@example.test> BODY=FOO"))[1], reply)
    r.ex("rset after bad body", s.rset, reply)
    r.ex("noop", s.noop, reply)
    r.ex("rset", s.rset, reply)
    r.ex("helo", lambda: s.helo("client.example.test"), reply)
    s = reconnect(a, s)
    r.ex("rset with argument", lambda: s.docmd("RSET", "x"), reply)
    r.ex("line too long", lambda: s.docmd("NOOP", "x" * 5000), reply)
    r.ex("noop after a long line", s.noop, reply)
    # Postfix waits a second before each reply once a session has made 10
    # errors (smtpd_soft_error_limit): a new session every few errors.
    s = reconnect(a, s)
    r.ex("starttls", lambda: s.starttls(context=common.context(a)), reply)
    r.ex("ehlo after starttls", s.ehlo, features(s))
    r.ex("auth mechanisms", lambda: auth_mechs(s), lambda m: ("ok", "list", m))
    r.ex("starttls again", lambda: s.docmd("STARTTLS"), reply)
    r.ex("auth unknown mechanism", lambda: s.docmd("AUTH", "XYZZY-MD9"), reply)
    r.ex("auth plain cancelled", lambda: (s.docmd("AUTH", "PLAIN"), s.docmd("*"))[1], reply)
    r.ex("auth login cancelled", lambda: (s.docmd("AUTH", "LOGIN"), s.docmd("*"))[1], reply)
    r.ex("auth plain bad base64", lambda: s.docmd("AUTH", "PLAIN !!!"), reply)
    r.ex("login wrong password", lambda: s.login(a.user, a.password + "-wrong"), reply)
    s = reconnect(a, s)
    s.starttls(context=common.context(a))
    s.ehlo()
    r.ex("login", lambda: s.login(a.user, a.password), reply)
    r.ex("login again", lambda: s.login(a.user, a.password), reply)
    r.ex("sendmail", lambda: s.sendmail("conformance@example.test", [a.to], message(a, "sendmail " + a.run).as_string()), refused)
    r.ex("sendmail utf-8 bytes", lambda: s.sendmail("conformance@example.test", a.to, message(a, "bytes " + a.run).as_bytes()), refused)
    r.ex("send_message", lambda: s.send_message(message(a, "send_message " + a.run)), refused)
    r.ex("sendmail smtputf8", lambda: s.sendmail("发件人@example.test", [a.to], message(a, "utf8 " + a.run).as_bytes(), mail_options=["SMTPUTF8"]), refused)
    r.ex("sendmail null sender", lambda: s.sendmail("", [a.to], message(a, "bounce " + a.run).as_string()), refused)
    r.ex("sendmail unknown recipient", lambda: s.sendmail("conformance@example.test", ["nobody-" + a.run + "@example.test"], "Subject: x\r\n\r\nx\r\n"), refused)
    r.ex("sendmail one refused", lambda: s.sendmail("conformance@example.test", [a.to, "nobody-" + a.run + "@example.test"], message(a, "some " + a.run).as_string()), lambda d: ("ok", "dict[%d]" % len(d), sorted(v[0] for v in d.values())))
    r.ex("sendmail relay refused", lambda: s.sendmail("conformance@example.test", ["someone@elsewhere.invalid"], "Subject: x\r\n\r\nx\r\n"), refused)
    r.ex("mail size too big", lambda: s.docmd("MAIL", "FROM:<conformance@example.test> SIZE=999999999"), reply)
    # Postfix then refuses every MAIL until RSET (it keeps the size); the
    # sandbox does not copy that quirk, so the table resets here.
    r.ex("rset after size", s.rset, reply)
    r.ex("mail", lambda: s.mail("conformance@example.test"), reply)
    r.ex("rcpt refused", lambda: s.rcpt("nobody-" + a.run + "@example.test"), reply)
    r.ex("data no valid recipients", lambda: s.docmd("DATA"), reply)
    r.ex("rset before mail", s.rset, reply)
    r.ex("mail again", lambda: s.mail("conformance@example.test"), reply)
    r.ex("mail twice", lambda: s.mail("conformance@example.test"), reply)
    r.ex("rcpt", lambda: s.rcpt(a.to), reply)
    r.ex("rcpt no domain", lambda: s.rcpt("alice"), reply)
    r.ex("data", lambda: s.data(b"Subject: data " + a.run.encode() + b"\r\n\r\nbody\r\n"), reply)
    r.ex("rset after data", s.rset, reply)
    r.ex("quit", s.quit, reply)


def implicit(a, r):
    s = smtplib.SMTP_SSL(a.host, a.tls_port, context=common.context(a), timeout=common.TIMEOUT)
    r.ex("ssl ehlo", s.ehlo, features(s))
    r.ex("ssl login", lambda: s.login(a.user, a.password), reply)
    r.ex("ssl sendmail", lambda: s.sendmail("conformance@example.test", [a.to], message(a, "ssl " + a.run).as_string()), refused)
    r.ex("ssl quit", s.quit, reply)


def run(r):
    a = common.args(extra)
    plain(a, r)
    if a.tls_port:
        implicit(a, r)


if __name__ == "__main__":
    common.main(run)
