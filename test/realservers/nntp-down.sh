#!/usr/bin/env bash
# Stops the innd that nntp-up.sh started (ctlinnd shutdown, then TERM, and
# KILL after 30 s). The spool keeps the articles for the next start.
R=${NETRUN_REALSERVERS:-/tmp/netrun-realservers}
I=$R/inn
pid=$(cat "$I/innd.pid" 2>/dev/null) || exit 0
INNCONF=$I/inn.conf /usr/lib/news/bin/ctlinnd -s shutdown "netrun done" >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null
# innd closes its listeners first and exits a little later; a zombie has exited.
i=0
while [ -e "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do
  i=$((i+1))
  [ $i -lt 300 ] || { kill -KILL "$pid" 2>/dev/null; break; }
  sleep 0.1
done
rm -f "$I/innd.pid"
