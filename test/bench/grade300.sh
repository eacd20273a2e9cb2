#!/usr/bin/env bash
# Grades 300 generated submissions of one exercise (a UDP server, see
# gen_submissions.sh for the good and broken kinds) with netrun grade, and
# reports the wall time. Then it checks that scores.csv has every student
# with the expected score, and that no process of a submission is left
# (pgrep -f on the submissions folder). Exits 1 when a check fails.
#   test/bench/grade300.sh                 # N=300, J=number of CPUs
#   N=50 J=8 test/bench/grade300.sh
# Needs go, bash and python3 (pgrep from procps).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-300}
J=${J:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/netrun" ./cmd/netrun
test/bench/gen_submissions.sh "$work/subs" "$N"
start=$(date +%s%N)
"$work/netrun" grade test/bench/testdata/udp_server.yaml --submissions "$work/subs" \
  --out "$work/out" -j "$J" --var ready_timeout=10s > "$work/grade.log"
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
wall=$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))
tail -1 "$work/grade.log"
fail=0
rows=$(($(wc -l < "$work/out/scores.csv") - 1))
if [ "$rows" -ne "$N" ]; then
  echo "grade300: scores.csv has $rows students, want $N" >&2
  fail=1
fi
# A regular expression per kind. "once" has exited, or is exiting, when
# the second datagram comes: refused (error) or unanswered (failed).
declare -A want=([good]="4,4,passed" [once]="2,4,(error|failed)" [crash]="0,4,error" [nobind]="0,4,error"
  [stubborn]="4,4,passed" [missing]="0,4,missing" [noexec]="0,4,error" [flood]="2,4,failed")
wrong=0
while IFS=, read -r student exercise score max status; do
  [ "$student" = student ] && continue
  kind=${student##*_}
  if ! [[ "$score,$max,$status" =~ ^${want[$kind]}$ ]]; then
    echo "grade300: $student: $score/$max $status, want ${want[$kind]}" >&2
    wrong=$((wrong + 1))
  fi
done < "$work/out/scores.csv"
[ "$wrong" -eq 0 ] || fail=1
sleep 1 # what was killed is reaped
left=$(pgrep -fc "$work/subs" || true)
if [ "$left" -ne 0 ]; then
  echo "grade300: $left processes left behind:" >&2
  pgrep -fa "$work/subs" >&2
  pgrep -f "$work/subs" | xargs -r kill -9 || true
  fail=1
fi
echo "grade300: $N students, -j $J, wall time ${wall}s, wrong scores: $wrong, leftover processes: $left"
exit $fail
