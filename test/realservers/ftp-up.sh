#!/usr/bin/env bash
# Starts vsftpd on 127.0.0.1:10021 (passive ports 10100-10199, explicit
# FTPS with AUTH TLS, plain logins allowed), and a second vsftpd with
# implicit FTPS (TLS from the first byte) on 127.0.0.1:10990 (passive ports
# 10200-10299), both with the system user alice,
# password secret, in a writable tree of her own, and an anonymous
# read-only tree holding readme.txt, pub/README and pub/bytes.bin as the
# sandbox has them. The certificate is mail-up.sh's, $R/tls/cert.pem
# (made here when missing). Run as root. Prints the NETRUN_* environment of
# the FTP scenarios.
set -euo pipefail
S=$(cd "$(dirname "$0")" && pwd)
R=${NETRUN_REALSERVERS:-/tmp/netrun-realservers}
mkdir -p "$R/tls" "$R/vsftpd/empty" "$R/ftp/anon/pub" "$R/ftp/alice"
if [ ! -s "$R/tls/cert.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -keyout "$R/tls/key.pem" -out "$R/tls/cert.pem" 2>/dev/null
fi
sed "s#/tmp/netrun-realservers#$R#g" "$S/vsftpd.conf" > "$R/vsftpd.conf"
# The implicit instance: the same configuration on other ports.
sed -e 's/^listen_port=.*/listen_port=10990/' -e 's/^pasv_min_port=.*/pasv_min_port=10200/' \
  -e 's/^pasv_max_port=.*/pasv_max_port=10299/' -e 's#vsftpd/vsftpd.log$#vsftpd/vsftpd-implicit.log#' \
  "$R/vsftpd.conf" > "$R/vsftpd-implicit.conf"
echo "implicit_ssl=YES" >> "$R/vsftpd-implicit.conf"
install -m 644 "$S/vsftpd.pam" /etc/pam.d/netrun-vsftpd
id alice >/dev/null 2>&1 || useradd --no-create-home --home-dir "$R/ftp/alice" --shell /usr/sbin/nologin alice
echo 'alice:secret' | chpasswd
# vsftpd refuses an anonymous root that the ftp user may write.
echo "hello from anonymous" > "$R/ftp/anon/readme.txt"
install -m 644 "$S/ftp-README" "$R/ftp/anon/pub/README"
perl -e 'print map { chr($_ % 256) } 0..1023' > "$R/ftp/anon/pub/bytes.bin"
chown -R root:root "$R/vsftpd/empty" "$R/ftp/anon"
chmod 755 "$R/vsftpd/empty" "$R/ftp/anon" "$R/ftp/anon/pub"
chown alice:alice "$R/ftp/alice"
bash "$S/ftp-down.sh"   # an instance of an earlier run, if any
# start CONF NAME PORT: starts vsftpd with CONF, its PID in
# $R/vsftpd/NAME.pid, and waits until it listens on PORT.
start() {
  setsid vsftpd "$1" </dev/null >"$R/vsftpd/$2.stdout" 2>&1 &
  echo $! > "$R/vsftpd/$2.pid"
  local i=0
  until (exec 3<>/dev/tcp/127.0.0.1/$3) 2>/dev/null; do
    i=$((i+1))
    if [ $i -ge 150 ] || ! kill -0 "$(cat "$R/vsftpd/$2.pid")" 2>/dev/null; then
      echo "vsftpd ($2) did not start:" >&2; cat "$R/vsftpd/$2.stdout" >&2; exit 1
    fi
    sleep 0.1
  done
}
start "$R/vsftpd.conf" vsftpd 10021
start "$R/vsftpd-implicit.conf" vsftpd-implicit 10990
cat <<ENV
export NETRUN_FTP=127.0.0.1:10021 NETRUN_FTP_TLS=starttls NETRUN_FTPS_IMPLICIT=127.0.0.1:10990
export NETRUN_FTP_USER=alice NETRUN_FTP_PASSWORD=secret NETRUN_CA=$R/tls/cert.pem
export NETRUN_REALSERVERS_UP=\${NETRUN_REALSERVERS_UP:+\$NETRUN_REALSERVERS_UP,}ftp
ENV
