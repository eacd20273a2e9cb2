#!/usr/bin/env bash
# Stops the vsftpd instances that ftp-up.sh started (explicit FTPS on
# 10021, implicit on 10990), and waits until their ports are closed.
set -uo pipefail
R=${NETRUN_REALSERVERS:-/tmp/netrun-realservers}
# stop NAME PORT: stops the vsftpd whose PID is in $R/vsftpd/NAME.pid.
stop() {
  local pid i=0
  pid=$(cat "$R/vsftpd/$1.pid" 2>/dev/null) || return 0
  kill -TERM "$pid" 2>/dev/null
  while (exec 3<>/dev/tcp/127.0.0.1/$2) 2>/dev/null && [ $i -lt 100 ]; do
    i=$((i+1)); sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null   # TERM was not enough in 10 s
  fi
  rm -f "$R/vsftpd/$1.pid"
}
stop vsftpd 10021
stop vsftpd-implicit 10990
