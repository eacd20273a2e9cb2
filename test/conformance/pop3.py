#!/usr/bin/env python3
"""POP3 conformance exchanges with poplib (see common.py).

The user's maildrop is emptied first (DELE of everything, QUIT), then the
exchanges of an empty maildrop run; two messages are put in with IMAP
APPEND (--imap-port, same user, same TLS mode), and the exchanges of a
non-empty maildrop run. The user must be one no other test writes to.
"""

import imaplib
import poplib
import time

import common

MSG1 = (b"From: conformance <conformance@example.test>\r\n"
        b"To: bob@example.test\r\n"
        b"Subject: first\r\n"
        b"\r\n"
        b"line one\r\n"
        b".a line that starts with a dot\r\n"
        b"\r\n"
        b"last line\r\n")
MSG2 = (b"From: conformance <conformance@example.test>\r\n"
        b"To: bob@example.test\r\n"
        b"Subject: second\r\n"
        b"\r\n"
        b"only line\r\n")


def extra(p):
    p.add_argument("--imap-port", type=int, required=True)
    p.add_argument("--ssl-port", type=int, default=0, help="POP3 over implicit TLS (POP3_SSL), the seed course's")


def connect(a):
    if a.tls == "implicit":
        return poplib.POP3_SSL(a.host, a.port, context=common.context(a), timeout=common.TIMEOUT)
    p = poplib.POP3(a.host, a.port, timeout=common.TIMEOUT)
    if a.tls == "starttls":
        p.stls(common.context(a))
    return p


def login(a):
    p = connect(a)
    p.user(a.user)
    p.pass_(a.password)
    return p


def resp(r):
    """A reply that is just a status line."""
    return common.code_class(r), "bytes", None


def stat(r):
    return "+OK", common.shape(r), list(r)


def listing(r):
    """(resp, lines, octets): the lines must match; octets is the size of
    the listing and follows from them."""
    rsp, lines, _ = r
    return common.code_class(rsp), "lines[%d]" % len(lines), common.text(lines)


def uidl_listing(r):
    """UIDL: the unique ids are the server's own; the message numbers and
    how many lines there are must match."""
    rsp, lines, _ = r
    nums = [l.split(b" ", 1)[0].decode() for l in lines]
    return common.code_class(rsp), "lines[%d]" % len(lines), nums


def uidl_one(r):
    f = r.split()
    return common.code_class(r), "fields[%d]" % len(f), f[1].decode() if len(f) > 1 else None


def message(r):
    """RETR and TOP: the lines of the message, as poplib unstuffs them."""
    rsp, lines, octets = r
    return common.code_class(rsp), "lines[%d]" % len(lines), {"lines": common.text(lines), "octets": octets}


def empty_maildrop(a):
    p = login(a)
    n, _ = p.stat()
    for i in range(1, n + 1):
        p.dele(i)
    p.quit()


def fill(a):
    """Puts MSG1 and MSG2 in the user's INBOX with IMAP APPEND."""
    if a.tls == "implicit":
        m = imaplib.IMAP4_SSL(a.host, a.imap_port, ssl_context=common.context(a), timeout=common.TIMEOUT)
    else:
        m = imaplib.IMAP4(a.host, a.imap_port, timeout=common.TIMEOUT)
        if a.tls == "starttls":
            m.starttls(common.context(a))
    m.login(a.user, a.password)
    for msg in (MSG1, MSG2):
        typ, _ = m.append("INBOX", None, imaplib.Time2Internaldate(time.time()), msg)
        if typ != "OK":
            raise RuntimeError("IMAP APPEND: %s" % typ)
    m.logout()


def failing_login(a, r):
    p = connect(a)
    r.ex("user (wrong password)", lambda: p.user(a.user), resp)
    r.ex("pass_ wrong password", lambda: p.pass_(a.password + "-wrong"), resp)
    r.ex("stat before login", p.stat, stat)
    r.ex("apop", lambda: p.apop(a.user, a.password), resp)
    r.ex("pass_ without user", lambda: p.pass_(a.password), resp)
    r.ex("quit before login", p.quit, resp)


def empty(a, r):
    p = connect(a)
    r.ex("getwelcome", p.getwelcome, resp)
    # CAPA lists implementation details; the capabilities a client relies on
    # must be there on both.
    r.ex("capa", p.capa, lambda c: ("ok", "dict", sorted(k for k in c if k in ("TOP", "UIDL", "USER", "RESP-CODES", "PIPELINING"))))
    r.ex("user", lambda: p.user(a.user), resp)
    r.ex("pass_", lambda: p.pass_(a.password), resp)
    r.ex("empty stat", p.stat, stat)
    r.ex("empty list", p.list, listing)
    r.ex("empty uidl", p.uidl, uidl_listing)
    r.ex("empty list 1", lambda: p.list(1), resp)
    r.ex("empty uidl 1", lambda: p.uidl(1), resp)
    r.ex("empty retr 1", lambda: p.retr(1), message)
    r.ex("empty top 1 0", lambda: p.top(1, 0), message)
    r.ex("empty dele 1", lambda: p.dele(1), resp)
    r.ex("empty noop", p.noop, resp)
    r.ex("empty rset", p.rset, resp)
    r.ex("empty quit", p.quit, resp)


def full(a, r):
    p = login(a)
    r.ex("stat", p.stat, stat)
    r.ex("list", p.list, listing)
    r.ex("uidl", p.uidl, uidl_listing)
    r.ex("list 2", lambda: p.list(2), lambda x: (common.code_class(x), "bytes", x.split()[1:]))
    r.ex("list 3", lambda: p.list(3), resp)
    r.ex("uidl 1", lambda: p.uidl(1), uidl_one)
    r.ex("retr 1", lambda: p.retr(1), message)
    r.ex("retr 3", lambda: p.retr(3), message)
    r.ex("top 1 0", lambda: p.top(1, 0), message)
    r.ex("top 1 2", lambda: p.top(1, 2), message)
    r.ex("top 2 99", lambda: p.top(2, 99), message)
    r.ex("retr 0", lambda: p.retr(0), message)
    r.ex("dele 1", lambda: p.dele(1), resp)
    r.ex("dele 1 again", lambda: p.dele(1), resp)
    r.ex("stat after dele", p.stat, stat)
    r.ex("list after dele", p.list, listing)
    r.ex("uidl after dele", p.uidl, uidl_listing)
    r.ex("retr 1 after dele", lambda: p.retr(1), message)
    r.ex("rset", p.rset, resp)
    r.ex("stat after rset", p.stat, stat)
    r.ex("dele 1 and quit", lambda: p.dele(1), resp)
    r.ex("quit", p.quit, resp)
    p = login(a)
    r.ex("stat after quit", p.stat, stat)
    r.ex("retr 1 after quit", lambda: p.retr(1), message)
    r.ex("dele 1 without quit", lambda: p.dele(1), resp)
    p.close()  # the connection ends without QUIT: nothing is deleted
    p = login(a)
    r.ex("stat after close", p.stat, stat)
    r.ex("unknown command", lambda: p._shortcmd("XYZZY"), resp)
    r.ex("capa after login", p.capa, lambda c: ("ok", "dict", sorted(k for k in c if k in ("TOP", "UIDL", "USER", "STLS", "PIPELINING"))))
    r.ex("stls after login", lambda: p.stls(common.context(a)), resp)
    r.ex("user after login", lambda: p.user(a.user), resp)
    r.ex("list not a number", lambda: p._shortcmd("LIST x"), resp)
    r.ex("top no lines", lambda: p._shortcmd("TOP 1"), resp)
    r.ex("top bad lines", lambda: p._shortcmd("TOP 1 x"), resp)
    r.ex("retr no argument", lambda: p._shortcmd("RETR"), resp)
    r.ex("dele no argument", lambda: p._shortcmd("DELE"), resp)
    r.ex("noop", p.noop, resp)
    r.ex("final quit", p.quit, resp)


def implicit(a, r):
    """The seed course's client: POP3_SSL, stat, list, retr, quit."""
    p = poplib.POP3_SSL(a.host, a.ssl_port, context=common.context(a), timeout=common.TIMEOUT)
    r.ex("ssl user", lambda: p.user(a.user), resp)
    r.ex("ssl pass_", lambda: p.pass_(a.password), resp)
    r.ex("ssl stat", p.stat, stat)
    r.ex("ssl list", p.list, listing)
    r.ex("ssl retr", lambda: p.retr(1), message)
    r.ex("ssl quit", p.quit, resp)


def run(r):
    a = common.args(extra)
    empty_maildrop(a)
    failing_login(a, r)
    empty(a, r)
    fill(a)
    full(a, r)
    if a.ssl_port:
        implicit(a, r)
    empty_maildrop(a)


if __name__ == "__main__":
    common.main(run)
