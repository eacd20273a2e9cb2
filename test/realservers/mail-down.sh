#!/usr/bin/env bash
# Stops what mail-up.sh started: Postfix first (it holds SASL connections to
# Dovecot), then Dovecot.
R=${NETRUN_REALSERVERS:-/tmp/netrun-realservers}
postfix -c "$R/postfix/conf" stop 2>&1 | grep -v 'stopping the Postfix' || true
if [ -s "$R/dovecot/run/master.pid" ]; then
  pid=$(cat "$R/dovecot/run/master.pid")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
else
  # No pid file (its run folder was wiped): find our instance by its config.
  pkill -TERM -f "^/usr/sbin/dovecot -c $R/dovecot.conf" 2>/dev/null || true
fi
