#!/usr/bin/env bash
# Stops the vsftpd that ftp-up.sh started, and waits until its port is
# closed.
set -uo pipefail
R=${NETRUN_REALSERVERS:-/tmp/netrun-realservers}
pid=$(cat "$R/vsftpd/vsftpd.pid" 2>/dev/null) || exit 0
kill -TERM "$pid" 2>/dev/null
i=0
while (exec 3<>/dev/tcp/127.0.0.1/10021) 2>/dev/null && [ $i -lt 100 ]; do
  i=$((i+1)); sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
  kill -KILL "$pid" 2>/dev/null   # TERM was not enough in 10 s
fi
rm -f "$R/vsftpd/vsftpd.pid"
