package program

import (
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// Python servers for the tests: each takes its port from PORT.
const (
	// oneShotTCP serves exactly one client, then exits: a readiness check
	// that connected would use it up.
	oneShotTCP = `import os, socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(os.environ["PORT"])))
s.listen()
c, _ = s.accept()
c.sendall(b"got:" + c.recv(100))
c.close()
`
	udpEcho = `import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(os.environ["PORT"])))
while True:
    d, a = s.recvfrom(1000)
    s.sendto(d, a)
`
	// wrongAddress listens on 127.0.0.2 instead of 127.0.0.1.
	wrongAddress = `import os, socket, time
s = socket.socket()
s.bind(("127.0.0.2", int(os.environ["PORT"])))
s.listen()
time.sleep(1000)
`
	crashAtStart = `import os
print("starting")
raise SystemExit(undefined_name)
`
)

func TestReady(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	writeScript(t, dir, "one_shot.py", oneShotTCP)
	writeScript(t, dir, "udp_echo.py", udpEcho)
	for _, tc := range []struct {
		name  string
		src   string
		steps []engine.Status
	}{
		{"tcp is checked without using up the server's one client", `
- spawn: { run: [python3, one_shot.py], env: { PORT: '{{ port }}' }, ready: { tcp: '127.0.0.1:{{ port }}' } }
- connect: tcp://127.0.0.1:{{ port }}
- send: hello
- expect: { closed: true, equals: got:hello }`, []engine.Status{engine.Passed, engine.Passed, engine.Passed, engine.Passed}},
		{"udp bound, without a probe", `
- spawn: { run: python3 udp_echo.py, env: { PORT: '{{ port }}' }, ready: { udp: '127.0.0.1:{{ port }}' } }
- connect: udp://127.0.0.1:{{ port }}
- send: ping
- expect: { equals: ping }`, []engine.Status{engine.Passed, engine.Passed, engine.Passed, engine.Passed}},
		{"udp probe answered", `
- spawn:
    run: [python3, udp_echo.py]
    env: { PORT: '{{ port }}' }
    ready: { udp: '127.0.0.1:{{ port }}', send: probe, expect: { equals: probe } }`, []engine.Status{engine.Passed}},
		{"stdout line, with groups", `
- spawn: { run: [sh, -c, 'echo booting; echo "listening on 4242"; exec sleep 1000'], ready: { stdout: 'listening on (?P<port>\d+)' } }
  assert:
    - result.groups[1] == "4242"
    - result.named.port == "4242"
    - result.stdout contains "booting"`, []engine.Status{engine.Passed}},
		{"after a delay", `
- spawn: { run: [sleep, '1000'], ready: { after: 50ms } }
  assert: result.duration >= duration("50ms")`, []engine.Status{engine.Passed}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := harness(t).Run(dir, "name: ready\nvars: { port: '{{ free_port() }}' }\nsteps:"+tc.src)
			steptest.Check(t, res, tc.steps...)
			checkGone(t, spawnPid(t, res, 1))
		})
	}
}

func TestNotReady(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	writeScript(t, dir, "crash.py", crashAtStart)
	writeScript(t, dir, "wrong_address.py", wrongAddress)
	for _, tc := range []struct {
		name, spawn, timeout string
		want                 []string
	}{
		{"exits before it is ready, with its traceback",
			`{ run: [python3, crash.py], ready: { tcp: '127.0.0.1:{{ port }}' } }`, "10s",
			[]string{`program "program" (python3 `, "crash.py) exited with status 1 after", "before it was ready (waiting for a TCP listener on 127.0.0.1:",
				"the end of its stderr:\n    Traceback (most recent call last):", "NameError: name 'undefined_name' is not defined"}},
		{"never opens its port",
			`{ run: [sleep, '1000'], ready: { tcp: '127.0.0.1:{{ port }}' } }`, "300ms",
			[]string{"(sleep 1000) is not ready: still waiting for a TCP listener on 127.0.0.1:", "(step timeout 300ms exceeded)"}},
		{"binds the wrong address",
			`{ run: [python3, wrong_address.py], env: { PORT: '{{ port }}' }, ready: { tcp: '127.0.0.1:{{ port }}' } }`, "30s",
			[]string{"wrong_address.py) listens on TCP 127.0.0.2:", ", not on 127.0.0.1:", "it binds another address"}},
		{"prints nothing",
			`{ run: [sleep, '1000'], ready: { stdout: listening } }`, "300ms",
			[]string{"still waiting for a line of stdout that matches /listening/", "it printed nothing", "run Python with -u"}},
		{"udp probe never answered",
			`{ run: [sleep, '1000'], ready: { udp: '127.0.0.1:{{ port }}', send: probe } }`, "300ms",
			[]string{"still waiting for an answer from UDP 127.0.0.1:"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := harness(t).Run(dir, `name: not ready
vars: { port: '{{ free_port() }}' }
steps:
  - spawn: `+tc.spawn+`
    timeout: `+tc.timeout+`
  - assert: "false"`)
			steptest.Check(t, res, engine.Errored, engine.Skipped)
			wantAll(t, failureOf(t, res, 1), tc.want...)
			if r, ok := res.Steps[0].Result.(SpawnResult); ok && r.Pid != 0 {
				checkGone(t, r.Pid)
			} else {
				t.Fatalf("no spawn result: %#v", res.Steps[0].Result)
			}
		})
	}
}

// TestListening checks what a never-ready message says a program listens
// on: here a process of the group holds a TCP listener and a UDP socket
// that the test made.
func TestListening(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	lf, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	uf, err := pc.(*net.UDPConn).File()
	if err != nil {
		t.Fatal(err)
	}
	defer uf.Close()
	cmd := exec.Command("sleep", "1000")
	cmd.ExtraFiles = []*os.File{lf, uf}
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	p := &process{pid: cmd.Process.Pid}
	want := "TCP " + ln.Addr().String() + ", UDP " + pc.LocalAddr().String()
	if got := p.listening(); got != want {
		t.Errorf("listening() = %q, want %q", got, want)
	}
	for _, tc := range []struct {
		network, addr string
		want          bool
	}{
		{"tcp", ln.Addr().String(), true},
		{"udp", pc.LocalAddr().String(), true},
		{"tcp", pc.LocalAddr().String(), ln.Addr().String() == pc.LocalAddr().String()},
	} {
		host, port, _ := splitAddr(tc.addr)
		if got, err := bound(tc.network, host, port, p.pid); err != nil || got != tc.want {
			t.Errorf("bound(%s, %s) = %v, %v; want %v", tc.network, tc.addr, got, err, tc.want)
		}
	}
	// A listener of another process on the port is not the program's.
	other, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	host, port, _ := splitAddr(other.Addr().String())
	if got, err := bound("tcp", host, port, p.pid); err != nil || got {
		t.Errorf("bound(tcp, %s) = %v, %v for a listener of another process; want false", other.Addr(), got, err)
	}
}

// TestWrongPort runs servers that listen on a port of their own, as a
// seed with a hard-coded port does: the spawn fails long before its
// timeout, naming both ports. A server that listens on another port for a
// moment, or on two ports, is ready.
func TestWrongPort(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	// WRONG stands for the seed's 21567: a port free now, not the one
	// the scenario gives.
	writeScript(t, dir, "hard_coded.py", `import os, socket, time
s = socket.socket()
s.bind(("", int(os.environ["WRONG"])))
s.listen()
print("listening", flush=True)
time.sleep(1000)
`)
	writeScript(t, dir, "late.py", `import os, socket, time
a = socket.socket()
a.bind(("127.0.0.1", int(os.environ["WRONG"])))
a.listen()
time.sleep(float(os.environ["DELAY"]))
s = socket.socket()
s.bind(("127.0.0.1", int(os.environ["PORT"])))
s.listen()
time.sleep(1000)
`)
	t.Run("hard-coded port", func(t *testing.T) {
		t.Parallel()
		start := time.Now()
		res := harness(t).Run(dir, `name: wrong port
vars: { port: '{{ free_port() }}', wrong: '{{ free_port() }}' }
steps:
  - spawn:
      run: [python3, hard_coded.py]
      env: { PORT: '{{ port }}', WRONG: '{{ wrong }}' }
      ready: { tcp: '127.0.0.1:{{ port }}' }
    timeout: 30s
  - assert: "false"`)
		t.Logf("failed after %s (timeout 30s)", time.Since(start).Round(time.Millisecond))
		steptest.Check(t, res, engine.Errored, engine.Skipped)
		msg := failureOf(t, res, 1)
		wantAll(t, msg, "hard_coded.py) listens on TCP 0.0.0.0:", ", not on 127.0.0.1:", "does it use a port of its own")
		if strings.Contains(msg, "timeout") {
			t.Errorf("the step waited for its timeout: %s", msg)
		}
		checkGone(t, spawnPid(t, res, 1))
	})
	writeScript(t, dir, "udp_hard_coded.py", `import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(os.environ["WRONG"])))
while True:
    d, a = s.recvfrom(100)
    s.sendto(d, a)
`)
	for _, ready := range []string{`{ udp: '127.0.0.1:{{ port }}' }`, `{ udp: '127.0.0.1:{{ port }}', send: probe }`} {
		t.Run("hard-coded UDP port, "+ready, func(t *testing.T) {
			t.Parallel()
			res := harness(t).Run(dir, `name: wrong port
vars: { port: '{{ free_port() }}', wrong: '{{ free_port() }}' }
steps:
  - spawn:
      run: [python3, udp_hard_coded.py]
      env: { WRONG: '{{ wrong }}' }
      ready: `+ready+`
    timeout: 30s`)
			steptest.Check(t, res, engine.Errored)
			msg := failureOf(t, res, 1)
			wantAll(t, msg, "udp_hard_coded.py) is bound to UDP 127.0.0.1:", ", not to 127.0.0.1:", "does it use a port of its own")
			if strings.Contains(msg, "timeout") {
				t.Errorf("the step waited for its timeout: %s", msg)
			}
		})
	}
	for _, delay := range []string{"0.3", "0"} {
		t.Run("another port first, for "+delay+"s", func(t *testing.T) {
			t.Parallel()
			res := harness(t).Run(dir, `name: late
vars: { port: '{{ free_port() }}', wrong: '{{ free_port() }}' }
steps:
  - spawn:
      run: [python3, late.py]
      env: { PORT: '{{ port }}', WRONG: '{{ wrong }}', DELAY: '`+delay+`' }
      ready: { tcp: '127.0.0.1:{{ port }}' }
    timeout: 30s`)
			steptest.Check(t, res, engine.Passed)
			checkGone(t, spawnPid(t, res, 1))
		})
	}
}
