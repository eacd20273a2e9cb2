#!/bin/sh
# P2: the mail round trip (scenarios/mail_roundtrip.yaml) on the real
# Postfix + Dovecot against the same exchanges made by Python's smtplib,
# imaplib and poplib (mail/roundtrip.py), interleaved. Needs the real
# servers: . /tmp/realservers.env (test/realservers/*-up.sh). Target <= 0.5.
#   sh test/bench/mail_p2.sh [N]
# NETRUN_BIN is the netrun to measure (built from here when unset);
# NETRUN_BEFORE, another build measured in the same run. Both ratios
# depend on how many mails alice's INBOX holds (POP3 reads the header of
# every one of them): the count is printed.
set -e
cd "$(dirname "$0")/../.."
: "${NETRUN_SMTP:?source the real servers first: . /tmp/realservers.env}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin=${NETRUN_BIN:-$tmp/netrun}
[ -x "$bin" ] || go build -o "$bin" ./cmd/netrun
python3 test/bench/mail/count.py
python3 test/bench/compare.py -n "${1:-9}" \
  netrun "$bin run scenarios/mail_roundtrip.yaml" \
  ${NETRUN_BEFORE:+before "$NETRUN_BEFORE run scenarios/mail_roundtrip.yaml"} \
  python "python3 test/bench/mail/roundtrip.py"
