#!/usr/bin/env python3
"""Drive the netrun sandbox's NNTP services with Python's nntplib.

Run by TestPythonNNTP (pynntp_test.go). The addresses come from the
environment: NETRUN_SANDBOX_CA (the CA's PEM file), NETRUN_SANDBOX_NNTP and
NETRUN_SANDBOX_NNTPS (host:port). TLS is always verified against the
sandbox CA. The script prints one JSON object of what nntplib saw; the Go
test checks it. Any unexpected error ends the script with a traceback and a
non-zero status.

nntplib is deprecated since Python 3.11 and gone in 3.13; the test needs a
Python that still has it.
"""

import io
import json
import os
import ssl
import sys
import uuid
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import nntplib

TIMEOUT = 30  # seconds; only keeps a broken server from hanging the test
GROUP = "comp.lang.python"


def addr(name):
    host, _, port = os.environ["NETRUN_SANDBOX_" + name].rpartition(":")
    return host, int(port)


def text(lines):
    return [l.decode("utf-8", "surrogateescape") for l in lines]


def reader():
    """What a student's reader does: plain NNTP(host, port), no login."""
    host, port = addr("NNTP")
    out = {}
    with nntplib.NNTP(host, port, timeout=TIMEOUT) as s:
        out["welcome"] = s.getwelcome()
        out["caps"] = sorted(s.getcapabilities())
        _, count, first, last, name = s.group(GROUP)
        out["group"] = [count, first, last, name]
        _, info = s.head(last)
        head = {}
        for line in text(info.lines):
            key, _, value = line.partition(": ")
            head[key.lower()] = nntplib.decode_header(value)
        out["last"] = {"from": head["from"], "subject": head["subject"], "date": head["date"]}
        _, info = s.body(last)
        out["body"] = text(info.lines)
        _, info = s.article(info.message_id)
        out["article_lines"] = len(info.lines)
        _, num, mid = s.stat(2)
        out["stat"] = [num, mid]
        out["next"] = list(s.next()[1:])
        out["last_cmd"] = list(s.last()[1:])
        _, subjects = s.xhdr("subject", f"{first}-{last}")
        out["xhdr"] = [[int(n), nntplib.decode_header(v)] for n, v in subjects]
        _, over = s.over((first, last))
        out["over"] = [[n, nntplib.decode_header(o["subject"]), o[":lines"]] for n, o in over]
        _, groups = s.list()
        out["list"] = sorted(g.group for g in groups)
        out["descriptions"] = s.descriptions("*")[1]
        out["date"] = s.date()[1].year
        try:
            s.post(io.BytesIO(b"From: x@example.test\r\nNewsgroups: local.test\r\nSubject: anon\r\n\r\nno\r\n"))
            out["anonymous_post"] = "accepted"
        except nntplib.NNTPError as e:
            out["anonymous_post"] = str(e)
        try:
            s.group("no.such.group")
        except nntplib.NNTPError as e:
            out["no_group"] = str(e)
    return out


def poster(ctx):
    """STARTTLS, login, POST, and reading the article back over nntps."""
    host, port = addr("NNTP")
    token = uuid.uuid4().hex
    out = {"token": token}
    with nntplib.NNTP(host, port, readermode=True, timeout=TIMEOUT) as s:
        s.starttls(context=ctx)
        s.login("alice", "secret")
        article = (f"From: Alice <alice@example.test>\r\nNewsgroups: local.test\r\nSubject: nntplib {token}\r\n"
                   f"Message-ID: <{token}@example.test>\r\n\r\nhello from nntplib\r\n.a line that starts with a dot\r\n")
        out["post"] = s.post(io.BytesIO(article.encode()))
    host, port = addr("NNTPS")
    with nntplib.NNTP_SSL(host, port, ssl_context=ctx, timeout=TIMEOUT) as s:
        _, count, first, last, _ = s.group("local.test")
        _, info = s.article(last)
        out["read_back"] = {"number": info.number, "message_id": info.message_id, "lines": text(info.lines)}
    try:
        nntplib.NNTP(host=addr("NNTP")[0], port=addr("NNTP")[1], user="alice", password="wrong", timeout=TIMEOUT)
        out["bad_login"] = "accepted"
    except nntplib.NNTPError as e:
        out["bad_login"] = str(e)
    return out


def main():
    ctx = ssl.create_default_context(cafile=os.environ["NETRUN_SANDBOX_CA"])
    json.dump({"reader": reader(), "poster": poster(ctx)}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
