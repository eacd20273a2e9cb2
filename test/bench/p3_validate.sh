#!/bin/sh
# P3: `netrun validate` of COPIES copies (default 1,000) of the shipped
# scenarios (scenarios/*.yaml), against reading the same files (cat), the
# floor, interleaved. Targets: under 0.5 s; peak memory flat (the same for
# 1,000 and 5,000 copies).
#   sh test/bench/p3_validate.sh [RUNS] [COPIES]
# NETRUN_BIN is the netrun to measure (built from here when unset);
# NETRUN_BEFORE, another build measured in the same run.
set -e
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin=${NETRUN_BIN:-$tmp/netrun}
[ -x "$bin" ] || go build -o "$bin" ./cmd/netrun
mkdir "$tmp/d"
n=0
while [ "$n" -lt "${2:-1000}" ]; do
  for f in scenarios/*.yaml; do
    [ "$n" -lt "${2:-1000}" ] || break
    cp "$f" "$tmp/d/${n}_$(basename "$f")"
    n=$((n + 1))
  done
done
# Relative paths in the scenarios (testdata/...) are not read by validate.
python3 test/bench/compare.py -n "${1:-7}" \
  netrun "$bin validate $tmp/d" \
  ${NETRUN_BEFORE:+before "$NETRUN_BEFORE validate $tmp/d"} \
  cat "cat $tmp/d/* >/dev/null"
