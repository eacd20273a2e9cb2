package program

import (
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// TestGradeClient plays the server for a client program, over TCP and
// UDP: netrun listens on a free port, starts the client with SERVER_PORT,
// takes its message, answers, and checks what the client printed.
func TestGradeClient(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	writeScript(t, dir, "tcp_client.py", `import os, socket
s = socket.create_connection((os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))
s.sendall(b"i love you\n")
print(s.recv(100).decode().strip())
s.close()
`)
	writeScript(t, dir, "udp_client.py", `import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"i love you", (os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))
data, _ = s.recvfrom(100)
print(data.decode())
`)
	writeScript(t, dir, "silent_client.py", `import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"i love you", (os.environ["SERVER_HOST"], int(os.environ["SERVER_PORT"])))
data, _ = s.recvfrom(100)
`)
	const accept = `
  - accept: true
    on: server
    as: conn`
	for _, tc := range []struct {
		name, scheme, program, receive, accept, on string
		want                                       []engine.Status
	}{
		{"tcp", "tcp", "tcp_client.py", "{ line: true, equals: i love you }", accept, "conn",
			[]engine.Status{engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed}},
		{"udp", "udp", "udp_client.py", "{ equals: i love you }", "", "server",
			[]engine.Status{engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed}},
		{"udp client that prints nothing", "udp", "silent_client.py", "{ equals: i love you }", "", "server",
			[]engine.Status{engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Failed, engine.Passed}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := harness(t).Run(dir, `name: client
vars:
  port: '{{ free_port() }}'
defaults: { timeout: 20s, continue: true }
steps:
  - listen: `+tc.scheme+`://127.0.0.1:{{ port }}
    as: server
  - spawn:
      run: [python3, -u, `+tc.program+`]
      env: { SERVER_HOST: 127.0.0.1, SERVER_PORT: '{{ port }}' }
    as: client`+tc.accept+`
  - expect: `+tc.receive+`
    on: `+tc.on+`
    points: 1
  - send: { line: i love me, line_ending: lf }
    on: `+tc.on+`
  - expect: { stdout: { line: true, equals: i love me } }
    on: client
    points: 2
    hint: The client must print the server's answer.
    timeout: 3s
  - expect: { exit: 0 }
    on: client`)
			steptest.Check(t, res, tc.want...)
			if res.Steps[len(res.Steps)-2].Status == engine.Failed {
				wantAll(t, failureOf(t, res, len(res.Steps)-1), "the program closed its stdout while we waited for a line", "exited with status 0")
			}
			checkGone(t, spawnPid(t, res, 2))
		})
	}
}
