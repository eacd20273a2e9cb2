#!/usr/bin/env python3
"""NNTP conformance exchanges with nntplib (see common.py).

Both servers hold the sandbox's seed articles (test/realservers/nntp-up.sh
feeds them to INN): comp.lang.python 1-4 and local.test 1-2, by number and
message-id. Other tests post to INN's groups, so counts and high water
marks are not compared; the seed articles and the ranges of them are. An
empty result comes from a range past the end and a pattern that matches no
group. A post, logged in over STARTTLS, goes to local.test.

Clients send MODE READER (readermode=True): the test INN is innd, which
takes loopback clients for a peer until MODE READER hands them to nnrpd
(a reader server, as the sandbox is, needs none; nntplib.NNTP(host) then
works on both).

nntplib is gone from Python 3.13; the test needs a Python that has it.
"""

import io
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import nntplib

import common

GROUP = "local.test"
EMPTY = "local.general"
SEED = "<lt-1.news@netrun.example.test>"
FAR = "900000-900010"  # a range with no article in it
# Header fields a server adds to an article it takes (INN's Path, Xref,
# Injection-*, Lines …): not compared.
SERVER_FIELDS = ("path", "xref", "lines", "injection-info", "injection-date", "nntp-posting-host",
                 "nntp-posting-date", "x-complaints-to", "organization")


def resp(r):
    return common.code_class(r), "str", None


def group(r):
    """(resp, count, first, last, name): first and name must match; the
    count and the last number grow as other tests post."""
    rsp, _, first, _, name = r
    return common.code_class(rsp), "tuple[5]", [first, name]


def listing(r):
    """(resp, list): the names of the groups."""
    rsp, lst = r
    return common.code_class(rsp), "list[%d]" % len(lst), sorted(g.group for g in lst)


def pairs(r):
    """(resp, [(number, text)]), as XHDR gives them."""
    rsp, lst = r
    return common.code_class(rsp), "list[%d]" % len(lst), [common.text(list(x)) if isinstance(x, tuple) else common.text(x) for x in lst]


def overview(r):
    """(resp, [(number, {field: value})]): the fields of the article;
    :bytes and :lines count the fields the server added, so they are left
    out."""
    rsp, lst = r
    out = []
    for n, f in lst:
        out.append([n, {k: v for k, v in f.items() if k in ("subject", "from", "date", "message-id", "references")}])
    return common.code_class(rsp), "list[%d]" % len(lst), out


def stat(r):
    rsp, num, mid = r
    return common.code_class(rsp), "tuple[3]", [num, mid]


def header_lines(lines):
    fields = {}
    for line in common.text(lines):
        if line[:1] in (" ", "\t"):
            continue
        k, _, v = line.partition(":")
        if k.lower() not in SERVER_FIELDS:
            fields[k.lower()] = v.strip()
    return fields


def head(r):
    rsp, info = r
    return common.code_class(rsp), "lines", {"number": info.number, "message_id": info.message_id, "fields": header_lines(info.lines)}


def body(r):
    rsp, info = r
    return common.code_class(rsp), "lines[%d]" % len(info.lines), {"number": info.number, "message_id": info.message_id, "lines": common.text(info.lines)}


def article(r):
    """The header (without the server's fields) and the body."""
    rsp, info = r
    lines = list(info.lines)
    i = lines.index(b"") if b"" in lines else len(lines)
    return common.code_class(rsp), "lines", {"number": info.number, "message_id": info.message_id,
                                            "fields": header_lines(lines[:i]), "body": common.text(lines[i + 1:])}


def reader(a, r):
    """What the seed course's reader does: NNTP(host), no login."""
    n = nntplib.NNTP(a.host, a.port, readermode=True, timeout=common.TIMEOUT)
    r.ex("getwelcome", n.getwelcome, resp)
    r.ex("stat before group", lambda: n.stat(), stat)
    r.ex("next before group", n.next, stat)
    r.ex("group", lambda: n.group(GROUP), group)
    r.ex("group missing", lambda: n.group("no.such.group"), group)
    r.ex("list pattern nothing", lambda: n.list("no.such.*"), listing)
    r.ex("list pattern", lambda: n.list(GROUP), listing)
    r.ex("description", lambda: n.description("no.such.group"), lambda d: ("ok", "str", d))
    r.ex("descriptions nothing", lambda: n.descriptions("no.such.*"), lambda x: (common.code_class(x[0]), "dict[%d]" % len(x[1]), x[1]))
    # The empty group (INN's default local.general, in the sandbox too).
    r.ex("empty group", lambda: n.group(EMPTY), lambda x: (common.code_class(x[0]), "tuple[5]", list(x[1:])))
    r.ex("empty stat", lambda: n.stat(), stat)
    r.ex("empty next", n.next, stat)
    r.ex("empty last", n.last, stat)
    r.ex("empty head", lambda: n.head(), head)
    r.ex("empty body 1", lambda: n.body(1), body)
    r.ex("empty article", lambda: n.article(), article)
    r.ex("empty xhdr", lambda: n.xhdr("subject", "1-"), pairs)
    r.ex("empty over", lambda: n.over((1, 100)), overview)
    r.ex("empty xover", lambda: n.xover(1, 100), overview)
    r.ex("empty list", lambda: n.list(EMPTY), lambda x: (common.code_class(x[0]), "list[%d]" % len(x[1]), [list(g) for g in x[1]]))
    r.ex("group again", lambda: n.group(GROUP), group)
    r.ex("stat current", lambda: n.stat(), stat)
    r.ex("xhdr subject", lambda: n.xhdr("subject", "1-2"), pairs)
    r.ex("xhdr from", lambda: n.xhdr("from", "1-2"), pairs)
    r.ex("xhdr date", lambda: n.xhdr("date", "1-2"), pairs)
    r.ex("xhdr missing field", lambda: n.xhdr("x-no-such-field", "1-2"), pairs)
    r.ex("xhdr references none", lambda: n.xhdr("references", "1-2"), pairs)
    r.ex("xhdr empty range", lambda: n.xhdr("subject", FAR), pairs)
    r.ex("xhdr message-id", lambda: n.xhdr("subject", SEED), pairs)
    r.ex("over", lambda: n.over((1, 2)), overview)
    r.ex("over empty range", lambda: n.over((900000, 900010)), overview)
    r.ex("xover", lambda: n.xover(1, 2), overview)
    r.ex("head", lambda: n.head(1), head)
    r.ex("head message-id", lambda: n.head(SEED), head)
    r.ex("body", lambda: n.body(1), body)
    r.ex("body message-id", lambda: n.body(SEED), body)
    r.ex("body to file", lambda: n.body(2, file=io.BytesIO()), lambda x: (common.code_class(x[0]), "lines[%d]" % len(x[1].lines), x[1].number))
    r.ex("article", lambda: n.article(2), article)
    r.ex("article missing number", lambda: n.article(900000), article)
    r.ex("article missing message-id", lambda: n.article("<no-such-article@netrun.example.test>"), article)
    r.ex("stat 1", lambda: n.stat(1), stat)
    r.ex("last at first", n.last, stat)
    r.ex("next", n.next, stat)
    r.ex("last", n.last, stat)
    r.ex("stat message-id", lambda: n.stat(SEED), stat)
    r.ex("post without login", lambda: n.post(b"From: x@example.test\r\nNewsgroups: local.test\r\nSubject: no\r\n\r\nno\r\n"), resp)
    r.ex("unknown command", lambda: n._shortcmd("XYZZY"), resp)
    r.ex("date", n.date, lambda d: ("ok", common.shape(d[1]), None))
    r.ex("quit", n.quit, resp)


def poster(a, r):
    n = nntplib.NNTP(a.host, a.port, readermode=True, timeout=common.TIMEOUT)
    r.ex("starttls", lambda: n.starttls(common.context(a)), lambda x: ("ok", common.shape(x), None))
    r.ex("login wrong password", lambda: n.login(a.user, a.password + "-wrong", usenetrc=False), lambda x: ("ok", common.shape(x), None))
    n.quit()
    n = nntplib.NNTP(a.host, a.port, readermode=True, timeout=common.TIMEOUT)
    n.starttls(common.context(a))
    r.ex("login", lambda: n.login(a.user, a.password, usenetrc=False), lambda x: ("ok", common.shape(x), None))
    art = ("From: Conformance <conformance@example.test>\r\n"
           "Newsgroups: local.test\r\n"
           "Subject: conformance " + a.run + "\r\n"
           "\r\n"
           "hello\r\n"
           ".a line that starts with a dot\r\n").encode()
    r.ex("post", lambda: n.post(art), resp)
    r.ex("post to missing group", lambda: n.post(art.replace(b"local.test", b"no.such.group")), resp)
    r.ex("post without newsgroups", lambda: n.post(b"From: x@example.test\r\nSubject: none\r\n\r\nno\r\n"), resp)
    r.ex("quit after post", n.quit, resp)


def run(r):
    a = common.args()
    reader(a, r)
    poster(a, r)


if __name__ == "__main__":
    common.main(run)
