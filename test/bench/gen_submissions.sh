#!/usr/bin/env bash
# Generates N submissions of the udp_server exercise in DIR, one folder per
# student, cycling through a good program and broken ones that students
# really write (and a few that misbehave on purpose):
#   good      answers every datagram
#   once      answers only the first datagram, then exits
#   crash     shadows the socket module, and raises before it binds
#   nobind    never binds the port (listens on the wrong one)
#   stubborn  ignores TERM and starts a child that ignores it too
#   missing   no program at all
#   noexec    udp_server without .py and without execute permission
#   flood     answers, then prints endlessly
# Usage: test/bench/gen_submissions.sh DIR N
set -euo pipefail
dir=$1 n=$2
mkdir -p "$dir"
kinds=(good once crash nobind stubborn good missing noexec flood good)
for i in $(seq 1 "$n"); do
  kind=${kinds[$(( (i - 1) % ${#kinds[@]} ))]}
  s=$(printf '%s/student%03d_%s' "$dir" "$i" "$kind")
  mkdir -p "$s"
  case $kind in
  good) cat > "$s/udp_server.py" <<'PY'
import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(os.environ["PORT"])))
while True:
    data, addr = s.recvfrom(1024)
    if data == b"i love you":
        s.sendto(b"i love me", addr)
PY
  ;;
  once) cat > "$s/udp_server.py" <<'PY'
import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(os.environ["PORT"])))
data, addr = s.recvfrom(1024)
s.sendto(b"i love me", addr)
s.close()
PY
  ;;
  crash) cat > "$s/udp_server.py" <<'PY'
import os, socket
socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind(("127.0.0.1", int(os.environ["PORT"])))
PY
  ;;
  nobind) cat > "$s/udp_server.py" <<'PY'
import os, socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
time.sleep(1000)
PY
  ;;
  stubborn) cat > "$s/udp_server.py" <<'PY'
import os, signal, socket, subprocess
signal.signal(signal.SIGTERM, signal.SIG_IGN)
# The child's $0 is this file's path, so that pgrep -f finds it too.
subprocess.Popen(["sh", "-c", "trap '' TERM; while :; do sleep 1; done", os.path.abspath(__file__)])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(os.environ["PORT"])))
while True:
    data, addr = s.recvfrom(1024)
    s.sendto(b"i love me", addr)
PY
  ;;
  missing) echo "I forgot to upload it" > "$s/README.txt" ;;
  noexec) printf '#!/usr/bin/env python3\nprint("hi")\n' > "$s/udp_server" && chmod 644 "$s/udp_server" ;;
  flood) cat > "$s/udp_server.py" <<'PY'
import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(os.environ["PORT"])))
data, addr = s.recvfrom(1024)
s.sendto(b"i love me", addr)
while True:
    print("debug output " * 20)
PY
  ;;
  esac
done
