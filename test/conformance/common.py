"""What the conformance scripts share: the command line, TLS, and the
runner that turns each client exchange into one normalised JSON line.

Each script is a real client (Python's stdlib) that performs a fixed list
of exchanges against one server, the sandbox or a real one, and prints one
line per exchange:

    {"exchange": name, "class": ..., "shape": ..., "value": ...}

class is what kind of answer came back: a reply code ("250", "+OK", "OK")
or the exception the client raised with the reply's code
("error_perm 550", "NNTPTemporaryError 411"). shape is the type and size of
what the client method returned (how many lines, items or fields). value is
the normalised part that must match between servers: counts, lists, message
contents, with the volatile parts (ids, dates, host names, tokens) taken
out. conformance_test.go runs a script against both servers and compares
the lines exchange by exchange.
"""

import argparse
import json
import re
import ssl
import sys
import traceback

TIMEOUT = 30  # seconds; only keeps a broken server from hanging the test
RUN = None  # the --run token, written "{run}" in the output


def args(extra=None):
    """Parses the common command line; extra(parser) adds options."""
    p = argparse.ArgumentParser()
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--tls", choices=["none", "starttls", "implicit"], default="starttls")
    p.add_argument("--ca", required=True, help="PEM file of the CA that signed the server's certificate")
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--run", required=True, help="a token unique to this run, for folder and group names")
    if extra:
        extra(p)
    global RUN
    a = p.parse_args()
    RUN = a.run
    return a


def context(a):
    """A verifying TLS context for the CA of a."""
    ctx = ssl.create_default_context(cafile=a.ca)
    return ctx


def code_class(resp):
    """The class of a text reply: its 3-digit code, "+OK"/"-ERR", or the
    IMAP status word."""
    if isinstance(resp, bytes):
        resp = resp.decode("utf-8", "replace")
    resp = str(resp).strip()
    m = re.match(r"^(\d{3})", resp)
    if m:
        return m.group(1)
    for w in ("+OK", "-ERR"):
        if resp.startswith(w):
            return w
    return resp.split(" ", 1)[0][:20]


def exc_class(e):
    """The class of an exception: its type, and the reply code it carries."""
    name = type(e).__name__
    rcpts = getattr(e, "recipients", None)
    if isinstance(rcpts, dict):  # smtplib's SMTPRecipientsRefused
        return "%s %s" % (name, ",".join(sorted(str(v[0]) for v in rcpts.values())))
    code = getattr(e, "smtp_code", None)
    if code is not None:
        return "%s %d" % (name, code)
    resp = getattr(e, "response", None)
    if resp is None and e.args:
        resp = e.args[0]
    if isinstance(resp, (str, bytes)):
        m = re.search(r"command error: (BAD|NO)\b", text(resp))
        if m:  # imaplib's error for a tagged BAD (or NO where it raises)
            return "%s %s" % (name, m.group(1))
        c = code_class(resp)
        if re.match(r"^\d{3}$|^[+-]", c):
            return "%s %s" % (name, c)
    return name


def shape(v):
    """The type and size of a value."""
    if isinstance(v, (list, tuple)):
        return "%s[%d]" % (type(v).__name__, len(v))
    if isinstance(v, (bytes, str)):
        return "%s" % type(v).__name__
    if isinstance(v, dict):
        return "dict[%d]" % len(v)
    return type(v).__name__


def text(v):
    """bytes to str, recursively in lists and tuples."""
    if isinstance(v, bytes):
        return v.decode("utf-8", "surrogateescape")
    if isinstance(v, (list, tuple)):
        return [text(x) for x in v]
    return v


class Runner:
    """Runs exchanges and prints their lines."""

    def __init__(self):
        self.count = 0

    def emit(self, name, cls, shp, value):
        line = json.dumps({"exchange": name, "class": cls, "shape": shp, "value": text(value)},
                          ensure_ascii=False, sort_keys=True)
        if RUN:  # the names made for this run are the same on every server
            line = line.replace(RUN, "{run}")
        print(line, flush=True)
        self.count += 1

    def ex(self, name, fn, norm=None):
        """Runs fn(); norm(result) returns (class, shape, value). An
        exception becomes its class with no shape or value. Returns fn's
        result, or None after an exception."""
        try:
            r = fn()
        except Exception as e:  # the client's protocol errors, or the network's
            self.emit(name, exc_class(e), "", None)
            return None
        if norm is None:
            self.emit(name, "ok", shape(r), None)
        else:
            cls, shp, value = norm(r)
            self.emit(name, cls, shp, value)
        return r


def main(run):
    """Calls run(Runner()) and reports an unexpected crash as a last
    exchange named "crash" (so that the comparison shows where it stopped)
    and a non-zero status."""
    r = Runner()
    try:
        run(r)
    except Exception:
        r.emit("crash", "crash", "", traceback.format_exc().splitlines()[-1])
        traceback.print_exc()
        sys.exit(1)
