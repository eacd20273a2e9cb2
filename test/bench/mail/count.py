#!/usr/bin/env python3
"""Prints how many mails the POP3 maildrop of NETRUN_MAIL_USER holds on
the server of NETRUN_POP3 (STLS), for mail_p2.sh: the round trip reads
the header of every one of them, so both its times grow with the count."""
import os
import poplib
import ssl

host, port = os.environ["NETRUN_POP3"].rsplit(":", 1)
ctx = ssl.create_default_context(cafile=os.environ.get("NETRUN_CA") or None)
pop = poplib.POP3(host, int(port), timeout=20)
pop.stls(context=ctx)
pop.user(os.environ.get("NETRUN_MAIL_USER", "alice"))
pop.pass_(os.environ.get("NETRUN_MAIL_PASSWORD", "secret"))
print("maildrop: %d mails, %d bytes" % pop.stat())
pop.quit()
