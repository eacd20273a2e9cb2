#!/usr/bin/env bash
# Starts Dovecot (IMAP 10143 STARTTLS / 10993 TLS, POP3 10110 STLS / 10995
# TLS) and Postfix (SMTP 10025 STARTTLS / 10465 TLS / 10587 submission with
# AUTH only after STARTTLS, delivering to Dovecot over LMTP) on loopback,
# with users alice and bob, password secret, and a
# self-signed certificate for localhost and 127.0.0.1 in $R/tls/cert.pem.
# Prints the NETRUN_* environment for the mail scenarios.
set -euo pipefail
S=$(cd "$(dirname "$0")" && pwd)
R=${NETRUN_REALSERVERS:-/tmp/netrun-realservers}
mkdir -p "$R/tls" "$R/postfix/conf"
if [ ! -s "$R/tls/cert.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -keyout "$R/tls/key.pem" -out "$R/tls/cert.pem" 2>/dev/null
fi
sed "s#/tmp/realservers#$R#g" "$S/dovecot.conf" > "$R/dovecot.conf"
for f in main.cf master.cf; do sed "s#/tmp/realservers#$R#g" "$S/postfix/$f" > "$R/postfix/conf/$f"; done
id vmail >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin vmail
bash "$S/mail-down.sh" >/dev/null 2>&1 || true   # a second start restarts
rm -rf "$R/dovecot/run"   # a stale anvil-auth-penalty socket stalls every login by 5 s
mkdir -p "$R/dovecot/run" "$R/dovecot/state" "$R/mail" "$R/postfix/spool" "$R/postfix/data"
printf 'alice:{PLAIN}secret::::::\nbob:{PLAIN}secret::::::\n' > "$R/dovecot/users"
chown vmail:vmail "$R/mail"
chown postfix:postfix "$R/postfix/data"
# Daemons get their own stdio, so that none holds the caller's pipe open.
dovecot -c "$R/dovecot.conf" </dev/null >"$R/dovecot/start.log" 2>&1 || { cat "$R/dovecot/start.log" >&2; exit 1; }
postfix -c "$R/postfix/conf" start </dev/null 2>&1 | grep -v 'starting the Postfix' || true
wait_port() {
  local i=0
  until (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null; do
    i=$((i+1)); [ $i -lt 150 ] || { echo "port $1 did not open" >&2; exit 1; }; sleep 0.1
  done
}
for p in 10143 10993 10110 10995 10024 10012 10025 10465 10587; do wait_port $p; done
cat <<ENV
export NETRUN_SMTP=127.0.0.1:10025 NETRUN_SMTP_TLS=starttls NETRUN_SMTPS=127.0.0.1:10465
export NETRUN_SMTP_SUBMISSION=127.0.0.1:10587
export NETRUN_IMAP=127.0.0.1:10143 NETRUN_POP3=127.0.0.1:10110
export NETRUN_IMAPS=127.0.0.1:10993 NETRUN_POP3S=127.0.0.1:10995
export NETRUN_MAIL_USER=alice NETRUN_MAIL_PASSWORD=secret NETRUN_MAIL_TO=alice@example.test
export NETRUN_CA=$R/tls/cert.pem
export NETRUN_REALSERVERS_UP=\${NETRUN_REALSERVERS_UP:+\$NETRUN_REALSERVERS_UP,}mail
ENV
