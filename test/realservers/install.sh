#!/usr/bin/env bash
# Installs the real servers CI tests netrun against: Postfix and Dovecot,
# vsftpd; and curl and time for the FTP benchmark (test/bench/ftp_p5.sh).
# Debian 12, as root. The packages are kept from starting or configuring
# their system instances; mail-up.sh and ftp-up.sh run private ones on
# loopback.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if command -v dovecot >/dev/null && command -v postfix >/dev/null &&
  command -v vsftpd >/dev/null && command -v curl >/dev/null && [ -x /usr/bin/time ]; then
  exit 0
fi
apt-get update -qq
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt-get install -y -qq --no-install-recommends \
  dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix openssl vsftpd curl time >/dev/null
id vmail >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin vmail
