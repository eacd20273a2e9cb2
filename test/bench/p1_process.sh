#!/bin/sh
# P1, whole process: `netrun run` of a file of N line round trips (default
# 10,000) against a small Go program making the same round trips
# (roundtrips/), both against the same echo server, interleaved, pinned to
# one CPU when taskset is there. Target <= 2.
#   sh test/bench/p1_process.sh [RUNS] [N]
# NETRUN_BIN is the netrun to measure (built from here when unset);
# NETRUN_BEFORE, another build measured in the same run.
set -e
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT
bin=${NETRUN_BIN:-$tmp/netrun}
[ -x "$bin" ] || go build -o "$bin" ./cmd/netrun
go build -o "$tmp/roundtrips" ./test/bench/roundtrips
"$tmp/roundtrips" -serve >"$tmp/addr" &
srv=$!
while [ ! -s "$tmp/addr" ]; do sleep 0.05; done
addr=$(cat "$tmp/addr")
"$tmp/roundtrips" -scenario -n "${2:-10000}" "$addr" >"$tmp/rt.yaml"
pin=""
command -v taskset >/dev/null && pin="taskset -c 0"
python3 test/bench/compare.py -n "${1:-7}" \
  netrun "$pin $bin run $tmp/rt.yaml" \
  ${NETRUN_BEFORE:+before "$pin $NETRUN_BEFORE run $tmp/rt.yaml"} \
  go "$pin $tmp/roundtrips -n ${2:-10000} $addr"
