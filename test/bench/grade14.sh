#!/usr/bin/env bash
# Grades N students (default 300) on five exercises of the second teaching
# pack in one netrun grade run: chat_client, tls_client, ws_client,
# ws_echo_server and http_server. Each student gets, for each exercise, one
# of that exercise's graded programs (reference, other styles, broken
# variants, in turn), copied as NAME.py. It reports the wall time, then
# checks that every score in scores.csv is the one test/teaching's table
# gives that program, and that no process of a submission is left.
#   test/bench/grade14.sh            # N=300, J=8
#   N=40 J=4 test/bench/grade14.sh
# The WebSocket exercises need a python3 with websockets (NETRUN_PYTHON).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-300}
J=${J:-8}
export NETRUN_PYTHON=${NETRUN_PYTHON:-/usr/bin/python3}
exercises=(chat_client tls_client ws_client ws_echo_server http_server)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/netrun" ./cmd/netrun
# The table's rows: exercise, program, score, max.
grep -ho '{"[a-z_]*", "[^"]*\.py", [0-9]*, [0-9]*' test/teaching/table14_roles_test.go |
  sed 's/[{"]//g; s/, /,/g' > "$work/table.csv"
declare -A want
for ex in "${exercises[@]}"; do
  mapfile -t progs < <(grep "^$ex," "$work/table.csv")
  for i in $(seq 1 "$N"); do
    row=${progs[$(( (i - 1) % ${#progs[@]} ))]}
    IFS=, read -r _ prog score max <<< "$row"
    student=$(printf 's%03d' "$i")
    mkdir -p "$work/subs/$student"
    cp "scenarios/teaching/$prog" "$work/subs/$student/$ex.py"
    want[$student,$ex]="$score,$max"
  done
done
args=()
for ex in "${exercises[@]}"; do args+=("scenarios/teaching/$ex.yaml"); done
start=$(date +%s%N)
"$work/netrun" grade "${args[@]}" --submissions "$work/subs" --out "$work/out" -j "$J" > "$work/grade.log" 2>&1 || true
ms=$(( ($(date +%s%N) - start) / 1000000 ))
tail -1 "$work/grade.log"
wrong=0 rows=0
while IFS=, read -r student exercise score max status; do
  [ "$student" = student ] && continue
  rows=$((rows + 1))
  if [ "${want[$student,$exercise]}" != "$score,$max" ]; then
    echo "grade14: $student $exercise: $score/$max, want ${want[$student,$exercise]}" >&2
    wrong=$((wrong + 1))
  fi
done < "$work/out/scores.csv"
left=$(pgrep -fc "$work/subs" || true)
echo "grade14: $N students x ${#exercises[@]} exercises, -j $J, wall time $((ms / 1000)).$(printf '%03d' $((ms % 1000)))s, scores $rows, wrong scores: $wrong, leftover processes: $left"
[ "$rows" -eq $((N * ${#exercises[@]})) ] && [ "$wrong" -eq 0 ] && [ "$left" -eq 0 ]
