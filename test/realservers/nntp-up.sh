#!/usr/bin/env bash
# Starts INN 2.7 on loopback for the NNTP scenarios: innd on 127.0.0.1 and
# [::1] port 10119, which hands readers to nnrpd after MODE READER (innd
# takes loopback clients for a peer), with STARTTLS on the certificate of
# $R/tls/cert.pem (made as mail-up.sh makes it, when missing). Anyone on
# loopback may read; alice, password secret, may post (AUTHINFO USER/PASS).
# It makes comp.lang.python and feeds it and local.test the sandbox's seed
# articles (sandbox/internal/nntpd/seed) with IHAVE, so that the scenarios read the
# same last article as on the sandbox; a second run finds them there.
# Prerequisite: install-inn.sh. Run as root; innd drops to the user news.
# Prints the NETRUN_* environment for the NNTP scenarios; logs on stderr.
set -euo pipefail
S=$(cd "$(dirname "$0")" && pwd)
R=${NETRUN_REALSERVERS:-/tmp/netrun-realservers}
I=$R/inn
PORT=10119
BIN=/usr/lib/news/bin
SEED=$S/../../sandbox/internal/nntpd/seed
[ -x "$BIN/innd" ] || { echo "innd is missing: run test/realservers/install-inn.sh first" >&2; exit 1; }
t0=$(date +%s%N)
"$S/nntp-down.sh" >/dev/null 2>&1 || true
mkdir -p "$R/tls" "$I"
if [ ! -s "$R/tls/cert.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -keyout "$R/tls/key.pem" -out "$R/tls/cert.pem" 2>/dev/null
fi
# The package's configuration, with ours over it.
rm -rf "$I/etc"
cp -a /etc/news "$I/etc"
cp "$R/tls/cert.pem" "$R/tls/key.pem" "$I/etc/"
sed "s#@INN@#$I#g" "$S/inn/inn.conf" > "$I/inn.conf"
cp "$I/inn.conf" "$I/etc/inn.conf"
sed "s#@INN@#$I#g" "$S/inn/readers.conf" > "$I/etc/readers.conf"
printf 'alice:%s\n' "$(openssl passwd -6 secret)" > "$I/etc/passwd.users"
chown -R news:news "$I/etc"
chmod 600 "$I/etc/key.pem"
chmod 640 "$I/etc/passwd.users"
mkdir -p /run/news && chown news:news /run/news
export INNCONF=$I/inn.conf
"$BIN/innd" -d </dev/null > "$I/innd.log" 2>&1 &   # -d: in the foreground, as our child
echo $! > "$I/innd.pid"
i=0
until (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; do
  i=$((i+1))
  if [ $i -ge 150 ] || ! kill -0 "$(cat "$I/innd.pid")" 2>/dev/null; then
    echo "innd did not start:" >&2; cat "$I/innd.log" >&2; exit 1
  fi
  sleep 0.1
done
"$BIN/ctlinnd" -s newgroup comp.lang.python y alice >/dev/null 2>&1 || true
"$BIN/ctlinnd" -s newgroup local.test y alice >/dev/null 2>&1 || true
"$BIN/ctlinnd" -s newgroup local.general y alice >/dev/null 2>&1 || true   # empty, as in the sandbox

# seed offers each seed article with IHAVE (innd takes loopback as a peer,
# so no login is needed); 435 means it is there already.
fail() { echo "nntp-up.sh: seeding: $*" >&2; exit 1; }
status() { IFS= read -r -t 10 line <&3 || fail "no answer from innd"; line=${line%$'\r'}; }
exec 3<>/dev/tcp/127.0.0.1/$PORT
status; [[ $line == 200* ]] || fail "greeting: $line"
for f in "$SEED"/*.eml; do
  id=$(sed -n 's/^Message-ID: *\(<[^>]*>\).*/\1/p' "$f" | head -1)
  printf 'IHAVE %s\r\n' "$id" >&3
  status
  case $line in
    335*) sed 's/\r$//; s/^\./../; s/$/\r/' "$f" >&3; printf '.\r\n' >&3
          status; [[ $line == 235* ]] || fail "$(basename "$f"): $line" ;;
    435*) ;;
    *) fail "IHAVE $id: $line" ;;
  esac
done
printf 'QUIT\r\n' >&3
exec 3>&-
echo "innd up and seeded in $(( ($(date +%s%N)-t0)/1000000 )) ms (pid $(cat "$I/innd.pid"))" >&2
cat <<ENV
export NETRUN_NNTP=127.0.0.1:$PORT NETRUN_NNTP_USER=alice NETRUN_NNTP_PASSWORD=secret
export NETRUN_CA=$R/tls/cert.pem
export NETRUN_REALSERVERS_UP=\${NETRUN_REALSERVERS_UP:+\$NETRUN_REALSERVERS_UP,}nntp
ENV
