package program

import (
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

func TestExpect(t *testing.T) {
	for _, tc := range []struct {
		name, run, steps string
		want             []engine.Status
		fail             []string // the failure of the last step
	}{
		{name: "stdout lines in order, stderr, exit 0",
			run:   `'echo one; echo two; echo "oops: 42" >&2'`,
			steps: "{ stdout: { line: true, equals: one } }\n  - expect: { stdout: { line: true, match: '^t(\\w+)$' } }\n    assert: result.groups[1] == 'wo'\n  - expect: { stderr: { match: 'oops: (\\d+)' } }\n    assert: result.groups[1] == '42'\n  - expect: { exit: 0 }\n    assert: [result.exited, result.exit_code == 0, result.stdout == \"one\\ntwo\\n\", result.signal == '']",
			want:  []engine.Status{engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed}},
		{name: "exit any", run: `'exit 7'`, steps: "{ exit: any }\n    assert: result.exit_code == 7",
			want: []engine.Status{engine.Passed, engine.Passed}},
		{name: "exit status differs", run: `'echo bad input >&2; exit 3'`, steps: "{ exit: 0 }",
			want: []engine.Status{engine.Passed, engine.Failed},
			fail: []string{`exit status: want 0; program "prog" (sh -c 'echo bad input >&2; exit 3') exited with status 3 after`, "the end of its stderr:\n    bad input"}},
		{name: "killed by a signal", run: `'kill -SEGV $$'`, steps: "{ exit: 0 }\n    assert: result.signal == 'SIGSEGV' && result.exit_code == -1",
			want: []engine.Status{engine.Passed, engine.Failed},
			fail: []string{"was killed by signal SIGSEGV (11)", "its stderr is empty"}},
		{name: "stdout ends before the match", run: `'echo hello; echo "Traceback: boom" >&2; exit 1'`, steps: "{ stdout: goodbye }",
			want: []engine.Status{engine.Passed, engine.Failed},
			fail: []string{"the program closed its stdout while we waited for data that contains \"goodbye\" (received 6 bytes without a match)", "exited with status 1", "Traceback: boom"}},
		{name: "stdout times out", run: `'echo hello; exec sleep 1000'`, steps: "{ stdout: goodbye }\n    timeout: 100ms",
			want: []engine.Status{engine.Passed, engine.Failed},
			fail: []string{"stdout: timed out after ", " waiting for data that contains \"goodbye\" (received 6 bytes without a match)"}},
		{name: "nothing on stderr", run: `'exec sleep 1000'`, steps: "{ stderr: { nothing: true } }\n    timeout: 50ms",
			want: []engine.Status{engine.Passed, engine.Passed}},
		{name: "close reports an earlier crash", run: `'echo "Error: port in use" >&2; exit 2'`, steps: "{ exit: any }\n  - close: prog",
			want: []engine.Status{engine.Passed, engine.Passed, engine.Errored},
			fail: []string{`close connection "prog": program "prog"`, "exited with status 2", "Error: port in use"}},
		{name: "close of a program that ended well", run: `'exit 0'`, steps: "{ exit: 0 }\n  - close: prog",
			want: []engine.Status{engine.Passed, engine.Passed, engine.Passed}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := harness(t).Run("", "name: expect\nsteps:\n  - spawn: { run: [sh, -c, "+tc.run+"] }\n    as: prog\n  - expect: "+tc.steps)
			steptest.Check(t, res, tc.want...)
			if tc.fail != nil {
				wantAll(t, failureOf(t, res, len(res.Steps)), tc.fail...)
			}
			checkGone(t, spawnPid(t, res, 1))
		})
	}
}

// TestLaterStepSaysProgramEnded checks that a step on another connection
// that fails after the program crashed says how it ended.
func TestLaterStepSaysProgramEnded(t *testing.T) {
	needPython(t)
	t.Parallel()
	dir := t.TempDir()
	writeScript(t, dir, "crash_on_client.py", `import os, socket
s = socket.socket()
s.bind(("127.0.0.1", int(os.environ["PORT"])))
s.listen()
c, _ = s.accept()
data = c.recv(100)
raise ValueError("cannot handle " + data.decode())
`)
	res := harness(t).Run(dir, `name: crash later
vars: { port: '{{ free_port() }}' }
steps:
  - spawn: { run: [python3, crash_on_client.py], env: { PORT: '{{ port }}' }, ready: { tcp: '127.0.0.1:{{ port }}' } }
    as: server
    timeout: 20s
  - connect: tcp://127.0.0.1:{{ port }}
  - send: { line: hello }
  - expect: { line: true }
    timeout: 20s`)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Failed)
	wantAll(t, failureOf(t, res, 4), "the peer closed the connection", `program "server" (python3 `, "exited with status 1 after",
		"ValueError: cannot handle hello")
	// The traceback is also in the transcript, as notes of the server.
	wantAll(t, transcript(res), `* server stderr: "ValueError: cannot handle hello\r\n"`, `* program "server" (python3 `)
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"- spawn: { run: [x], ready: { tcp: a, stdout: b } }", "test.yaml:3:39: ready takes one of tcp, udp, stdout or after, not both tcp and stdout"},
		{"- spawn: { run: [x], ready: {} }", "test.yaml:3:29: ready takes one of tcp, udp, stdout or after"},
		{"- spawn: { run: [x], ready: { tcp: a, send: b } }", "test.yaml:3:39: send goes with ready: { udp: ADDR }"},
		{"- spawn: { run: [x], ready: { udp: a, expect: b } }", "test.yaml:3:39: expect needs send"},
		{"- spawn: { run: [x], ready: { after: soon } }", `test.yaml:3:38: "soon" is not a duration`},
		{"- spawn: { run: [x], ready: { stdout: '(' } }", `test.yaml:3:39: bad regular expression "("`},
		{"- spawn: { run: [x], rdy: {} }", `test.yaml:3:22: unknown key "rdy"; expected one of: dir, env, files, ready, run, stdin`},
		{"- spawn: { run: [x], dir: d, files: [f] }", "test.yaml:3:30: files are copied into the fresh folder netrun makes for the program; they cannot go with dir"},
		{"- spawn: { env: {} }", "test.yaml:3:10: spawn needs run"},
		{"- spawn: { run: [] }", "test.yaml:3:17: run needs at least the program to start"},
		{"- spawn: { run: [x, { a: b }] }", "test.yaml:3:21: each word of run is a string"},
		{"- spawn: { run: [x], stdin: { path: y } }", `test.yaml:3:31: unknown key "path"`},
		{"- spawn: [x]\n  ready: { tcp: a }", `test.yaml:4:3: "ready" goes inside spawn: spawn: { run, env, dir, files, stdin, ready }`},
		{"- spawn: x\n  on: y", "on chooses a connection; a spawn step does not act on one"},
		{"- spawn: x\n- expect: { stdout: a, exit: 0 }", "test.yaml:4:24: expect on a program takes one of stdout, stderr and exit, not both stdout and exit"},
		{"- spawn: x\n- expect: { exit: 256 }", "test.yaml:4:19: exit takes an exit status from 0 to 255, or any; not \"256\""},
		{"- spawn: x\n- expect: {}", "test.yaml:4:11: expect on a program takes"},
		{"- spawn: x\n- expect: { stdout: { line: true, bytes: 2 } }", "both frame the data"},
		{"- spawn: x\n- send: hello", "test.yaml:4:9: send on a program takes { stdin: TEXT }"},
		{"- spawn: x\n- accept: true", "test.yaml:4:11: a spawned program takes expect (its stdout, stderr or exit status), send (to its stdin) and close, not accept"},
		{"- spawn: x\n- expect: { exit: 0 }\n  assert: result.exit_cod == 0", "exit_cod"},
	} {
		got := strings.Join(harness(t).LoadErrors("name: x\nsteps:\n"+tc.src), "\n")
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s\ngot  %s\nwant %s", tc.src, got, tc.want)
		}
	}
}
