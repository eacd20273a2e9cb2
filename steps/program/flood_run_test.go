package program

import (
	"fmt"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// floodPy floods stdout with size bytes of 64-byte lines, then, by mode:
// raises (its traceback on stderr, or on stdout with "stdout"), or prints
// a caught exception's traceback on stdout and floods as much again
// ("middle"), or ends well ("ok"). "last line" is its last line before
// the traceback.
const floodPy = `import sys, traceback
mode, size = sys.argv[1], int(sys.argv[2])
chunk = ("y" * 63 + "\n") * 1024
def flood():
    for _ in range(size // len(chunk)):
        sys.stdout.write(chunk)
def fail():
    raise ValueError("boom after the flood")
flood()
if mode == "middle":
    try:
        fail()
    except ValueError:
        traceback.print_exc(file=sys.stdout)
    flood()
sys.stdout.write("last line\n")
if mode == "middle":
    sys.exit(3)
if mode == "stdout":
    sys.stdout.flush()
    sys.stderr = sys.stdout
if mode != "ok":
    fail()
`

// TestFloodReported runs programs that write 8 MiB that nothing reads
// (so netrun paces them) and then fail: the failure still shows their
// exception and how they ended, and the result their size and the end of
// their output.
func TestFloodReported(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	writeScript(t, dir, "flood.py", floodPy)
	const size = 8 << 20
	for _, tc := range []struct {
		mode, stream string
		exit         int
		wantEnd      string
	}{
		{"stderr", "stderr", 1, "last line\n"},
		{"stdout", "stdout", 1, "ValueError: boom after the flood\n"},
		{"middle", "stdout", 3, "last line\n"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			t.Parallel()
			res := harness(t).Run(dir, fmt.Sprintf(`name: flood
steps:
  - spawn: [python3, flood.py, %s, %d]
    as: flood
  - expect: { exit: 0 }
    on: flood
    timeout: 60s`, tc.mode, size))
			steptest.Check(t, res, engine.Passed, engine.Failed)
			f := res.Steps[1].Failure
			wantAll(t, f.Message, fmt.Sprintf("exited with status %d", tc.exit))
			exc := exceptionLines(f, "flood", tc.stream)
			if tc.stream == "stderr" {
				exc = f.Message // the message shows the end of stderr
			}
			wantAll(t, exc, "Traceback (most recent call last):", "ValueError: boom after the flood")
			r := res.Steps[1].Result.(ExpectResult)
			if !strings.HasSuffix(r.Stdout, tc.wantEnd) || !strings.Contains(r.Stdout, "last line\n") {
				t.Errorf("result.stdout ends with %q", r.Stdout[max(0, len(r.Stdout)-200):])
			}
			if tc.mode == "stderr" {
				wantAll(t, r.Stdout, fmt.Sprintf("[… %d bytes not kept …]", size+len("last line\n")-keepHead-keepTail))
			}
		})
	}
}

// TestFloodRead: expects still read a flood, the unread bytes that were
// dropped are counted, and a server that logs a lot still serves.
func TestFloodRead(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	writeScript(t, dir, "flood.py", floodPy)
	writeScript(t, dir, "logger.py", `import os, socketserver, sys, threading
def log():
    while True:
        sys.stdout.write("INFO a line that a chatty server logs, again and again\n" * 100)
threading.Thread(target=log, daemon=True).start()
class H(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(self.rfile.readline().upper())
socketserver.TCPServer.allow_reuse_address = True
with socketserver.TCPServer(("127.0.0.1", int(os.environ["PORT"])), H) as s:
    s.serve_forever()
`)
	const size = 4 << 20
	for _, tc := range []struct {
		name, steps string
		want        []engine.Status
		notes       []string
	}{
		{"expect a line of yes", `
  - spawn: [yes]
    as: yes
  - sleep: 300ms
  - expect: { stdout: { line: true, equals: "y" } }
    on: yes
  - expect: { stdout: { line: true, equals: "y" } }
    on: yes`, []engine.Status{engine.Passed, engine.Passed, engine.Passed, engine.Passed},
			[]string{"bytes of stdout were dropped unread"}},
		{"dropped bytes counted", fmt.Sprintf(`
  - spawn: [python3, flood.py, ok, %d]
    as: flood
  - expect: { exit: 0 }
    on: flood
    timeout: 60s
  - expect: { stdout: { contains: last line } }
    on: flood`, size), []engine.Status{engine.Passed, engine.Passed, engine.Passed},
			[]string{"flood: ", " bytes of stdout were dropped unread"}},
		{"a server that logs a lot serves", `
  - spawn:
      run: [python3, logger.py]
      env: { PORT: '{{ port }}' }
      ready: { tcp: '127.0.0.1:{{ port }}' }
    as: server
  - sleep: 300ms
  - connect: tcp://127.0.0.1:{{ port }}
  - send: { line: hello, line_ending: lf }
  - expect: { line: true, equals: HELLO }
    timeout: 20s`, []engine.Status{engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := harness(t).Run(dir, "name: flood\nvars: { port: '{{ free_port() }}' }\nsteps:"+tc.steps)
			steptest.Check(t, res, tc.want...)
			wantAll(t, transcript(res), tc.notes...)
			if tc.name == "dropped bytes counted" {
				checkDropped(t, res, size+len("last line\n"))
			}
		})
	}
}

// checkDropped wants the bytes the last step's note says were dropped,
// and those it read (up to "last line", before its line feed), to make
// up the total written, with at least half of the unread queue's cap
// read.
func checkDropped(t *testing.T, res *engine.ScenarioResult, total int) {
	t.Helper()
	last := res.Steps[len(res.Steps)-1]
	dropped := -1
	for _, l := range last.Transcript {
		fmt.Sscanf(l.Text, "flood: %d bytes of stdout were dropped unread", &dropped)
	}
	read := last.Result.(ExpectResult).Bytes
	if dropped+read+1 != total || read < maxQueue/2 {
		t.Errorf("dropped %d and read %d bytes of %d", dropped, read, total)
	}
}
