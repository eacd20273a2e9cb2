package program

import (
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// TestSendStdin checks send: { stdin } on a program spawned with a pipe:
// lines reach it in order, each answered before the next is sent, and
// close_stdin gives it end of file.
func TestSendStdin(t *testing.T) {
	t.Parallel()
	res := harness(t).Run("", `name: stdin
steps:
  - spawn:
      run: [sh, -c, 'while read l; do echo "got $l"; done; echo eof']
      stdin: { pipe: true }
    as: p
  - send: { stdin: { line: one } }
    on: p
    assert: result.bytes == 4
  - expect: { stdout: { line: true, equals: got one } }
    on: p
  - send: { stdin: "two\n" }
    on: p
  - expect: { stdout: { line: true, equals: got two } }
    on: p
  - send: { close_stdin: true }
    on: p
  - expect: { stdout: { line: true, equals: eof } }
    on: p
  - expect: { exit: 0 }
    on: p
  - send: { stdin: late }
    on: p`)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed,
		engine.Passed, engine.Passed, engine.Passed, engine.Errored)
	wantAll(t, failureOf(t, res, 9), "stdin is closed")
	if tr := steptest.Transcript(res, 2); !strings.Contains(tr, "one") {
		t.Errorf("the transcript of send does not show the line: %q", tr)
	}
}

// TestSendStdinNotRead checks that a program that never reads its stdin
// fails the send at the step's deadline instead of hanging it, with 8 MiB
// that no pipe buffer holds.
func TestSendStdinNotRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	steptest.WriteFile(t, dir, "big.bin", make([]byte, 8<<20))
	res := harness(t).Run(dir, `name: stdin
steps:
  - spawn: { run: [sleep, '1000'], stdin: { pipe: true } }
  - send: { stdin: { file: big.bin } }
    timeout: 300ms`)
	steptest.Check(t, res, engine.Passed, engine.Errored)
	wantAll(t, failureOf(t, res, 2), "the program did not read its stdin")
	checkGone(t, spawnPid(t, res, 1))
}

// TestSendStdinErrors checks the load errors and a send on a program
// whose stdin is not a pipe.
func TestSendStdinErrors(t *testing.T) {
	t.Parallel()
	h := harness(t)
	for _, tc := range []struct{ src, want string }{
		{"  - spawn: { run: cat, stdin: { pipe: true, file: x } }", "stdin takes text, { file: PATH } or { pipe: true }"},
		{"  - spawn: { run: cat, stdin: { pipe: true } }\n  - send: hello", "send on a program takes { stdin: TEXT }"},
		{"  - spawn: { run: cat, stdin: { pipe: true } }\n  - send: { stdin: a, close_stdin: true }", "not both"},
		{"  - spawn: { run: cat, stdin: { pipe: true } }\n  - send: { close_stdin: false }", "close_stdin takes true"},
	} {
		errs := strings.Join(h.LoadErrors("name: x\nsteps:\n"+tc.src+"\n"), "\n")
		if !strings.Contains(errs, tc.want) {
			t.Errorf("%s: errors %q lack %q", tc.src, errs, tc.want)
		}
	}
	res := h.Run("", "name: x\nsteps:\n  - spawn: { run: cat }\n  - send: { stdin: hi }\n")
	steptest.Check(t, res, engine.Passed, engine.Errored)
	wantAll(t, failureOf(t, res, 2), "stdin: { pipe: true }")
	// A program that ended: the write fails at once with EPIPE.
	res = h.Run("", "name: x\nsteps:\n  - spawn: { run: 'true', stdin: { pipe: true } }\n  - expect: { exit: 0 }\n  - send: { stdin: hi }\n    timeout: 1h\n")
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Errored)
	wantAll(t, failureOf(t, res, 3), "the program closed its stdin (or ended): 0 of 2 bytes written")
}
