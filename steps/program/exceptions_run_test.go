package program

import (
	"bytes"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/engine/report"
	"github.com/netrunhq/netrun/internal/steptest"
)

// TestExceptionsShown runs real Python programs with the bugs students
// make and wants the failure to show what the program printed: a
// traceback on stderr from a server that keeps running, and an exception a
// client caught and printed on stdout. The Gradescope output must show
// them next to the hint.
func TestExceptionsShown(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	// socketserver prints the handler's traceback and serves on.
	writeScript(t, dir, "server.py", `import os, socketserver
class H(socketserver.StreamRequestHandler):
    def handle(self):
        line = self.rfile.readline()
        self.wfile.write(line.upper)  # forgot the call: TypeError
socketserver.TCPServer.allow_reuse_address = True
with socketserver.TCPServer(("127.0.0.1", int(os.environ["PORT"])), H) as s:
    print("serving", flush=True)
    s.serve_forever()
`)
	// A TLS client that reaches a plain server catches the error and
	// prints it, as beginners do.
	writeScript(t, dir, "client.py", `import os, socket, ssl
try:
    ctx = ssl.create_default_context()
    raw = socket.create_connection(("127.0.0.1", int(os.environ["PORT"])))
    s = ctx.wrap_socket(raw, server_hostname="localhost")
    s.sendall(b"hello\n")
    print(s.recv(100))
except Exception as e:
    print(e)
`)
	t.Run("server traceback", func(t *testing.T) {
		t.Parallel()
		res := harness(t).Run(dir, `name: server
vars: { port: '{{ free_port() }}' }
steps:
  - spawn:
      run: [python3, -u, server.py]
      env: { PORT: '{{ port }}' }
      ready: { tcp: '127.0.0.1:{{ port }}' }
    as: server
  - connect: tcp://127.0.0.1:{{ port }}
  - send: { line: hello, line_ending: lf }
  - expect: { line: true, equals: HELLO }
    timeout: 10s
    points: 1
    hint: The server must answer each line in capitals.`)
		steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Failed)
		f := res.Steps[3].Failure
		got := exceptionLines(f, "server", "stderr")
		wantAll(t, got, "Traceback (most recent call last):", `File "`+dir, "TypeError: a bytes-like object is required")
		gs := gradescope(t, res)
		wantAll(t, gs, `program \"server\" printed on stderr:\n  Traceback (most recent call last):`,
			`TypeError: a bytes-like object is required, not 'builtin_function_or_method'\nhint: The server must answer each line in capitals.`)
	})
	t.Run("client prints a caught exception", func(t *testing.T) {
		t.Parallel()
		res := harness(t).Run(dir, `name: client
vars: { port: '{{ free_port() }}' }
steps:
  - listen: tcp://127.0.0.1:{{ port }}
    as: server
  - spawn:
      run: [python3, -u, client.py]
      env: { PORT: '{{ port }}' }
    as: client
  - accept: true
    on: server
    as: conn
    timeout: 10s
  - send: { line: not TLS at all }
    on: conn
  - expect: { line: true, equals: hello }
    on: conn
    timeout: 10s
    hint: Connect with plain TCP; this server does not speak TLS.`)
		steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Failed)
		f := res.Steps[4].Failure
		wantAll(t, exceptionLines(f, "client", "stdout"), "[SSL: WRONG_VERSION_NUMBER] wrong version number")
		var con bytes.Buffer
		(&report.Console{W: &con}).Report(res)
		wantAll(t, con.String(), "program \"client\" printed on stdout:\n        [SSL: WRONG_VERSION_NUMBER] wrong version number",
			"\n      hint: Connect with plain TCP")
	})
}

// exceptionLines returns the lines of the exceptions of f that program
// printed on stream.
func exceptionLines(f *engine.Failure, program, stream string) string {
	if f == nil {
		return ""
	}
	var b strings.Builder
	for _, e := range f.Exceptions {
		if e.Program == program && e.Stream == stream {
			b.WriteString(strings.Join(e.Lines, "\n") + "\n")
		}
	}
	return b.String()
}

// gradescope renders res as Gradescope's results.json.
func gradescope(t *testing.T, res *engine.ScenarioResult) string {
	t.Helper()
	var b bytes.Buffer
	if err := report.WriteGradescope(&b, []*engine.ScenarioResult{res}, engine.NewRedactor()); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
