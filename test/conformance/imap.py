#!/usr/bin/env python3
"""IMAP conformance exchanges with imaplib (see common.py).

Everything happens in two folders made for this run (named from --run),
since the user's INBOX may be shared with other tests: first on the empty
folder, then with two messages appended. Both folders are deleted at the
end.
"""

import imaplib
import re

import common

MSG1 = (b"From: conformance <conformance@example.test>\r\n"
        b"To: alice@example.test\r\n"
        b"Subject: first apple\r\n"
        b"Date: Mon, 02 Jun 2025 09:30:00 +0000\r\n"
        b"\r\n"
        b"line one\r\n"
        b".a line that starts with a dot\r\n")
MSG2 = (b"From: other <other@example.test>\r\n"
        b"To: alice@example.test\r\n"
        b"Subject: second pear\r\n"
        b"Date: Tue, 03 Jun 2025 09:30:00 +0000\r\n"
        b"\r\n"
        b"only line\r\n")
MSG3 = (b"From: other <other@example.test>\r\n"
        b"Subject: third\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=XX\r\n"
        b"\r\n"
        b"--XX\r\n"
        b"\r\n"
        b"part one\r\n"
        b"--XX\r\n"
        b"Content-Type: text/html\r\n"
        b"\r\n"
        b"<p>two</p>\r\n"
        b"--XX--\r\n")
DATE = '"02-Jun-2025 09:30:00 +0000"'


def connect(a):
    if a.tls == "implicit":
        return imaplib.IMAP4_SSL(a.host, a.port, ssl_context=common.context(a), timeout=common.TIMEOUT)
    m = imaplib.IMAP4(a.host, a.port, timeout=common.TIMEOUT)
    if a.tls == "starttls":
        m.starttls(common.context(a))
    return m


def status(r):
    """(typ, data) where data is only the server's text."""
    typ, data = r
    return typ, "list[%d]" % len(data), None


def data(r):
    """(typ, data) where data must match; after NO, data is the server's
    own text."""
    typ, d = r
    return typ, "list[%d]" % len(d), common.text(d) if typ == "OK" else None


def fetched(r):
    """FETCH: the data items, with the volatile ones taken out (UIDs are
    kept: both folders are new, so they start at 1)."""
    typ, d = r
    out = []
    for item in d:
        if isinstance(item, tuple):
            out.append([norm_fetch(item[0]), common.text(item[1])])
        else:
            out.append(norm_fetch(item))
    return typ, "list[%d]" % len(d), out


def norm_fetch(b):
    if b is None:
        return None
    s = common.text(b)
    s = re.sub(r'INTERNALDATE "[^"]*"', 'INTERNALDATE "…"', s)
    # \Recent belongs to one session and is gone from IMAP4rev2 (RFC 9051);
    # Dovecot sends it, go-imap's server does not.
    s = re.sub(r" ?\\Recent", "", s).replace("FLAGS ( ", "FLAGS (")
    # A header field name is sent as an atom by Dovecot and quoted by
    # go-imap's server: the same IMAP string, and imaplib does not parse it.
    return re.sub(r"HEADER\.FIELDS \(([^)]*)\)", lambda m: "HEADER.FIELDS (%s)" % m.group(1).replace('"', ""), s)


def unquote(s):
    """A mailbox name that is an atom may be sent quoted or not: the same
    IMAP string (RFC 3501, section 4.3). Dovecot sends an atom, go-imap's
    server (the sandbox) always quotes; a client that parses IMAP strings
    sees no difference, so the quotes are taken out of such names."""
    return re.sub(r'"([A-Za-z0-9_.-]+)"', r"\1", s)


def mailbox_data(r):
    """STATUS: the data, with the mailbox name unquoted."""
    typ, d = r
    return typ, "list[%d]" % len(d), [unquote(x) if isinstance(x, str) else x for x in common.text(d)]


def flags(r):
    """STORE and FETCH FLAGS: the flags of each message, sorted; \\Recent
    is the server's own and is left out."""
    typ, d = r
    out = []
    for item in d:
        if item is None:
            out.append(None)
            continue
        s = common.text(item if not isinstance(item, tuple) else item[0])
        num = s.split(" ", 1)[0]
        m = re.search(r"FLAGS \(([^)]*)\)", s)
        fl = sorted(f for f in (m.group(1).split() if m else []) if f != "\\Recent")
        out.append([num, fl])
    return typ, "list[%d]" % len(d), out


def selected(r):
    return data(r)


def listed(r):
    """LIST: the names and the delimiter; the attributes vary."""
    typ, d = r
    out = []
    for item in d:
        if item is None:
            out.append(None)
            continue
        s = common.text(item)
        out.append(unquote(re.sub(r"^\([^)]*\) ", "", s)))
    return typ, "list[%d]" % len(d), out


def empty(m, a, box, box2, r):
    r.ex("create", lambda: m.create(box), status)
    r.ex("create second", lambda: m.create(box2), status)
    r.ex("create existing", lambda: m.create(box), status)
    r.ex("list folder", lambda: m.list("", box), listed)
    r.ex("list nothing", lambda: m.list("", "no-such-folder-" + a.run), listed)
    r.ex("status empty", lambda: m.status(box, "(MESSAGES UNSEEN)"), mailbox_data)
    r.ex("select empty", lambda: m.select(box), selected)
    r.ex("empty search all", lambda: m.search(None, "ALL"), data)
    r.ex("empty search unseen", lambda: m.search(None, "UNSEEN"), data)
    r.ex("empty uid search", lambda: m.uid("SEARCH", None, "ALL"), data)
    r.ex("empty fetch 1", lambda: m.fetch("1", "(FLAGS)"), fetched)
    r.ex("empty fetch 1:*", lambda: m.fetch("1:*", "(FLAGS)"), fetched)
    r.ex("empty uid fetch 1:*", lambda: m.uid("FETCH", "1:*", "(FLAGS)"), fetched)
    r.ex("empty store", lambda: m.store("1", "+FLAGS", "\\Seen"), flags)
    r.ex("empty copy", lambda: m.copy("1", box2), status)
    r.ex("empty expunge", m.expunge, data)
    r.ex("empty noop", m.noop, status)
    r.ex("empty close", m.close, status)


def full(m, a, box, box2, r):
    r.ex("append 1", lambda: m.append(box, None, DATE, MSG1), status)
    r.ex("append 2", lambda: m.append(box, "(\\Flagged)", DATE, MSG2), status)
    r.ex("append multipart", lambda: m.append(box, None, DATE, MSG3), status)
    r.ex("append to missing folder", lambda: m.append("no-such-folder-" + a.run, None, DATE, MSG2), status)
    r.ex("status", lambda: m.status(box, "(MESSAGES UNSEEN)"), mailbox_data)
    r.ex("select", lambda: m.select(box), selected)
    r.ex("search all", lambda: m.search(None, "ALL"), data)
    r.ex("search unseen", lambda: m.search(None, "UNSEEN"), data)
    r.ex("search subject", lambda: m.search(None, "SUBJECT", "pear"), data)
    r.ex("search from", lambda: m.search(None, "FROM", "conformance"), data)
    r.ex("search flagged", lambda: m.search(None, "FLAGGED"), data)
    r.ex("search since", lambda: m.search(None, "SENTSINCE", "03-Jun-2025"), data)
    r.ex("search nothing", lambda: m.search(None, "SUBJECT", "no-such-subject"), data)
    r.ex("search bad", lambda: m.search(None, "NOSUCHKEY"), data)
    r.ex("uid search", lambda: m.uid("SEARCH", None, "ALL"), data)
    r.ex("fetch flags", lambda: m.fetch("1:*", "(FLAGS)"), flags)
    r.ex("fetch rfc822", lambda: m.fetch("1", "(RFC822)"), fetched)
    r.ex("fetch body.peek", lambda: m.fetch("2", "(BODY.PEEK[])"), fetched)
    r.ex("fetch header fields", lambda: m.fetch("1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])"), fetched)
    r.ex("fetch text", lambda: m.fetch("2", "(BODY.PEEK[TEXT])"), fetched)
    r.ex("fetch uid flags header", lambda: m.fetch("2", "(UID FLAGS BODY.PEEK[HEADER])"), fetched)
    r.ex("fetch envelope", lambda: m.fetch("1", "(ENVELOPE)"), fetched)
    r.ex("fetch internaldate", lambda: m.fetch("1", "(INTERNALDATE)"), fetched)
    r.ex("fetch bodystructure", lambda: m.fetch("2", "(BODYSTRUCTURE)"), fetched)
    r.ex("fetch bodystructure multipart", lambda: m.fetch("3", "(BODYSTRUCTURE)"), fetched)
    r.ex("fetch size", lambda: m.fetch("1:2", "(RFC822.SIZE)"), fetched)
    r.ex("flags after rfc822", lambda: m.fetch("1:*", "(FLAGS)"), flags)
    r.ex("fetch 3", lambda: m.fetch("3", "(FLAGS)"), fetched)
    r.ex("uid fetch", lambda: m.uid("FETCH", "2", "(FLAGS)"), flags)
    r.ex("store +seen", lambda: m.store("2", "+FLAGS", "\\Seen"), flags)
    r.ex("store -seen silent", lambda: m.store("2", "-FLAGS.SILENT", "(\\Seen)"), flags)
    r.ex("store deleted", lambda: m.store("1", "+FLAGS", "(\\Deleted)"), flags)
    r.ex("copy", lambda: m.copy("1:2", box2), status)
    r.ex("copy to missing", lambda: m.copy("1", "no-such-folder-" + a.run), status)
    r.ex("search deleted", lambda: m.search(None, "DELETED"), data)
    r.ex("expunge", m.expunge, data)
    r.ex("search after expunge", lambda: m.search(None, "ALL"), data)
    r.ex("uid store", lambda: m.uid("STORE", "2", "+FLAGS", "(\\Answered)"), flags)
    r.ex("uid copy", lambda: m.uid("COPY", "2", box2), status)
    r.ex("uid copy missing uid", lambda: m.uid("COPY", "99", box2), status)
    r.ex("uid fetch missing uid", lambda: m.uid("FETCH", "99", "(FLAGS)"), fetched)
    r.ex("search utf-8", lambda: m.search("UTF-8", "SUBJECT", '"pear"'), data)
    r.ex("check", m.check, status)
    r.ex("close", m.close, status)
    r.ex("fetch after close", lambda: m.fetch("1", "(FLAGS)"), fetched)
    r.ex("rename", lambda: m.rename(box2, box2 + "-renamed"), status)
    r.ex("rename back", lambda: m.rename(box2 + "-renamed", box2), status)
    r.ex("rename missing", lambda: m.rename("no-such-folder-" + a.run, box2 + "-x"), status)
    r.ex("subscribe", lambda: m.subscribe(box2), status)
    r.ex("lsub", lambda: m.lsub("", box2), listed)
    r.ex("unsubscribe", lambda: m.unsubscribe(box2), status)
    r.ex("examine copy", lambda: m.select(box2, readonly=True), selected)
    r.ex("flags of copies", lambda: m.fetch("1:*", "(FLAGS)"), flags)
    r.ex("store read-only", lambda: m.store("1", "+FLAGS", "\\Seen"), flags)
    r.ex("flags after read-only store", lambda: m.fetch("1:*", "(FLAGS)"), flags)
    r.ex("select missing", lambda: m.select("no-such-folder-" + a.run), selected)
    r.ex("delete", lambda: m.delete(box), status)
    r.ex("delete second", lambda: m.delete(box2), status)
    r.ex("delete missing", lambda: m.delete(box), status)
    r.ex("logout", m.logout, status)


def implicit(a, r):
    """IMAP4_SSL: login, select, search, logout."""
    m = imaplib.IMAP4_SSL(a.host, a.ssl_port, ssl_context=common.context(a), timeout=common.TIMEOUT)
    r.ex("ssl login", lambda: m.login(a.user, a.password), status)
    r.ex("ssl select inbox", lambda: m.select("INBOX", readonly=True), lambda x: (x[0], "list[%d]" % len(x[1]), None))
    r.ex("ssl search nothing", lambda: m.search(None, "SUBJECT", "no-such-subject-" + a.run), data)
    r.ex("ssl logout", m.logout, status)


def run(r):
    a = common.args(lambda p: p.add_argument("--ssl-port", type=int, default=0, help="IMAP over implicit TLS (IMAP4_SSL)"))
    if a.ssl_port:
        implicit(a, r)
    box, box2 = a.run, a.run + "-copy"
    bad = connect(a)
    r.ex("login wrong password", lambda: bad.login(a.user, a.password + "-wrong"), status)
    bad.logout()
    m = connect(a)
    r.ex("select before login", lambda: m.select("INBOX"), selected)
    r.ex("login", lambda: m.login(a.user, a.password), status)
    try:
        empty(m, a, box, box2, r)
        full(m, a, box, box2, r)
    finally:
        try:
            m2 = connect(a)
            m2.login(a.user, a.password)
            m2.delete(box)
            m2.delete(box2)
            m2.logout()
        except Exception:
            pass


if __name__ == "__main__":
    common.main(run)
