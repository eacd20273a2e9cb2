package program

import (
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// TestClientGone runs client programs under listen and accept (TCP) or a
// listener's expect (UDP). A client that crashes before it connects fails
// the step at once, with how it ended and its traceback, not after the
// step's timeout; a client that connected and ended before the step, or
// whose child connects after the client itself has ended, is accepted.
func TestClientGone(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	writeScript(t, dir, "crash.py", `import os, socket
print("connecting", flush=True)
s = socket.socket()
s.connect((os.environ["SERVER_HOST"], os.environ["SERVER_PORT"]))  # a str port: TypeError
`)
	writeScript(t, dir, "quick.py", `import os, socket
s = socket.create_connection(("127.0.0.1", int(os.environ["SERVER_PORT"])))
s.sendall(b"hi\n")
s.close()
`)
	writeScript(t, dir, "udp_crash.py", `import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto("hi", ("127.0.0.1", int(os.environ["SERVER_PORT"])))  # str, not bytes: TypeError
`)
	writeScript(t, dir, "udp_quick.py", `import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"hi", ("127.0.0.1", int(os.environ["SERVER_PORT"])))
`)
	for _, tc := range []struct {
		name, scheme, run, wait string
		want                    engine.Status
		msg                     []string
	}{
		{"tcp client crashes before connecting", "tcp", "[python3, crash.py]", "accept: true",
			engine.Errored, []string{"no client connected to 127.0.0.1:", "and none can: every program the scenario started has ended",
				"crash.py) exited with status 1 after", "TypeError: 'str' object cannot be interpreted as an integer"}},
		{"udp client crashes before sending", "udp", "[python3, udp_crash.py]", "expect: { equals: hi }",
			engine.Failed, []string{"every program the scenario started has ended, so no datagram can come: timed out after",
				"udp_crash.py) exited with status 1 after", "TypeError: a bytes-like object is required, not 'str'"}},
		{"udp client sends and ends before expect", "udp", "[python3, udp_quick.py]", "expect: { equals: hi }", engine.Passed, nil},
		{"tcp client connects and ends before accept", "tcp", "[python3, quick.py]", "accept: true", engine.Passed, nil},
		{"tcp client whose child connects later", "tcp", `[sh, -c, '(sleep 0.5; exec python3 quick.py) & exit 0']`, "accept: true", engine.Passed, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			res := harness(t).Run(dir, `name: client gone
vars: { port: '{{ free_port() }}' }
steps:
  - listen: `+tc.scheme+`://127.0.0.1:{{ port }}
    as: server
  - spawn:
      run: `+tc.run+`
      env: { SERVER_HOST: 127.0.0.1, SERVER_PORT: '{{ port }}' }
      files: [quick.py]
    as: client
  - `+tc.wait+`
    on: server
    timeout: 30s`)
			t.Logf("%s after %s (timeout 30s)", res.Steps[2].Status, time.Since(start).Round(time.Millisecond))
			steptest.Check(t, res, engine.Passed, engine.Passed, tc.want)
			if tc.msg != nil {
				wantAll(t, failureOf(t, res, 3), tc.msg...)
			}
			checkGone(t, spawnPid(t, res, 2))
		})
	}
}
