#!/usr/bin/env python3
"""FTP conformance exchanges with ftplib (see common.py): the seed course's
table of FTP methods (login, pwd, cwd, dir, nlst, retrlines, retrbinary,
storlines, storbinary, rename, delete, mkd, rmd, quit), in a folder made
for this run (named from --run) in the user's home, first empty, then with
files; and an anonymous session, whose files differ between servers, so
only the classes of its answers are compared.

--tls starttls is explicit FTPS (AUTH TLS, PROT P), as netrun's ftps
default; passive mode, ftplib's default.
"""

import ftplib
import hashlib
import io

import common

BIG = bytes(range(256)) * 4096  # 1 MiB


def resp(r):
    return common.code_class(r), "str", None


def names(r):
    return "ok", "list[%d]" % len(r), sorted(n.rsplit("/", 1)[-1] for n in r)


class ReuseFTP_TLS(ftplib.FTP_TLS):
    """FTP_TLS that resumes the control connection's TLS session on each
    data connection. vsftpd (require_ssl_reuse=YES, its default) refuses a
    data connection that does not with 522, and ftplib's FTP_TLS does not:
    stock FTP_TLS cannot transfer with vsftpd at all, while the sandbox
    lets it."""

    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
        return conn, size


def connect(a):
    if a.tls == "none":
        f = ftplib.FTP(timeout=common.TIMEOUT)
    else:
        f = ReuseFTP_TLS(context=common.context(a), timeout=common.TIMEOUT)
    f.connect(a.host, a.port)
    return f


def lines_of(f, cmd):
    out = []
    r = f.retrlines(cmd, out.append)
    return r, out


def listing(r):
    """LIST: how many entries, and their names (the last field)."""
    rsp, out = r
    return common.code_class(rsp), "lines[%d]" % len(out), sorted(l.split()[-1] for l in out if l.strip())


def retr(f, name):
    h = hashlib.sha256()
    n = [0]

    def cb(b):
        h.update(b)
        n[0] += len(b)
    r = f.retrbinary("RETR " + name, cb)
    return r, n[0], h.hexdigest()


def user(a, r):
    bad = connect(a)
    r.ex("login wrong password", lambda: bad.login(a.user, a.password + "-wrong"), resp)
    bad.close()
    f = connect(a)
    r.ex("getwelcome", f.getwelcome, resp)
    r.ex("login", lambda: f.login(a.user, a.password), resp)
    if a.tls != "none":
        r.ex("prot_p", f.prot_p, resp)
    home = f.pwd()
    r.ex("pwd", f.pwd, lambda p: ("ok", "str", None))
    d = a.run
    r.ex("mkd", lambda: f.mkd(d), lambda p: ("ok", "str", p.rstrip("/").rsplit("/", 1)[-1]))
    r.ex("mkd existing", lambda: f.mkd(d), resp)
    r.ex("cwd", lambda: f.cwd(d), resp)
    r.ex("pwd in folder", f.pwd, lambda p: ("ok", "str", p.rstrip("/").rsplit("/", 1)[-1]))
    r.ex("empty nlst", f.nlst, names)
    r.ex("empty list", lambda: lines_of(f, "LIST"), listing)
    r.ex("empty dir", lambda: f.dir(lambda l: None), lambda x: ("ok", common.shape(x), None))
    r.ex("empty retr missing", lambda: retr(f, "missing.bin"), lambda x: (common.code_class(x[0]), "tuple", None))
    r.ex("storbinary", lambda: f.storbinary("STOR big.bin", io.BytesIO(BIG)), resp)
    r.ex("storlines", lambda: f.storlines("STOR notes.txt", io.BytesIO(b"line one\nline two\n.dot line\n")), resp)
    r.ex("size", lambda: f.size("big.bin"), lambda n: ("ok", common.shape(n), n))
    r.ex("size missing", lambda: f.size("missing.bin"), lambda n: ("ok", common.shape(n), n))
    r.ex("nlst", f.nlst, names)
    r.ex("nlst file", lambda: f.nlst("big.bin"), names)
    r.ex("list", lambda: lines_of(f, "LIST"), listing)
    r.ex("nlst missing folder", lambda: f.nlst("missing-folder"), names)
    r.ex("list file", lambda: lines_of(f, "LIST big.bin"), listing)
    r.ex("mlsd", lambda: sorted(n for n, _ in f.mlsd()), lambda x: ("ok", "list[%d]" % len(x), x))
    r.ex("syst", lambda: f.sendcmd("SYST"), resp)
    r.ex("retrbinary", lambda: retr(f, "big.bin"), lambda x: (common.code_class(x[0]), "tuple", [x[1], x[2]]))
    r.ex("retrlines", lambda: lines_of(f, "RETR notes.txt"), lambda x: (common.code_class(x[0]), "lines[%d]" % len(x[1]), x[1]))
    r.ex("retrbinary rest", lambda: f.retrbinary("RETR big.bin", lambda b: None, rest=1048000), resp)
    r.ex("rename", lambda: f.rename("notes.txt", "renamed.txt"), resp)
    r.ex("rename missing", lambda: f.rename("missing.txt", "x.txt"), resp)
    r.ex("nlst after rename", f.nlst, names)
    r.ex("mkd sub", lambda: f.mkd("sub"), lambda p: ("ok", "str", None))
    r.ex("cwd missing", lambda: f.cwd("missing"), resp)
    r.ex("cwd up", lambda: f.cwd(".."), resp)
    r.ex("cwd back", lambda: f.cwd(d), resp)
    r.ex("delete", lambda: f.delete("renamed.txt"), resp)
    r.ex("delete missing", lambda: f.delete("renamed.txt"), resp)
    r.ex("noop", lambda: f.voidcmd("NOOP"), resp)
    r.ex("type i", lambda: f.voidcmd("TYPE I"), resp)
    r.ex("unknown command", lambda: f.sendcmd("XYZZY"), resp)
    r.ex("delete big", lambda: f.delete("big.bin"), resp)
    r.ex("nlst with sub", f.nlst, names)
    r.ex("cwd home", lambda: f.cwd(home), resp)
    # Last, as they may remove what later exchanges would use.
    r.ex("rmd not empty", lambda: f.rmd(d), resp)
    r.ex("delete folder", lambda: f.delete(d + "/sub"), resp)
    r.ex("rmd sub", lambda: f.rmd(d + "/sub"), resp)
    r.ex("rmd folder", lambda: f.rmd(d), resp)
    r.ex("quit", f.quit, resp)


def anonymous(a, r):
    """The seed course's client: FTP(host), login(), cwd, retrbinary."""
    f = ftplib.FTP(timeout=common.TIMEOUT)
    f.connect(a.host, a.port)
    r.ex("anonymous login", f.login, resp)
    r.ex("anonymous cwd pub", lambda: f.cwd("pub"), resp)
    r.ex("anonymous nlst", f.nlst, lambda x: ("ok", "list", None))
    r.ex("anonymous retr missing", lambda: retr(f, "missing.bin"), lambda x: (common.code_class(x[0]), "tuple", None))
    r.ex("anonymous stor", lambda: f.storbinary("STOR x.bin", io.BytesIO(b"x")), resp)
    r.ex("anonymous mkd", lambda: f.mkd("x"), resp)
    r.ex("anonymous quit", f.quit, resp)


def stock_tls(a, r):
    """Python's own FTP_TLS, which does not resume the TLS session on the
    data connection: what a student's program does."""
    if a.tls == "none":
        return
    f = ftplib.FTP_TLS(context=common.context(a), timeout=common.TIMEOUT)
    f.connect(a.host, a.port)
    f.login(a.user, a.password)
    f.prot_p()
    r.ex("stock FTP_TLS nlst", f.nlst, lambda x: ("ok", "list", None))
    f.close()  # vsftpd ends the session after the 522


def run(r):
    a = common.args()
    anonymous(a, r)
    user(a, r)
    stock_tls(a, r)


if __name__ == "__main__":
    common.main(run)
