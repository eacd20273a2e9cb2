package udp_test

import (
	"context"
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/udp"
)

const (
	P = engine.Passed
	F = engine.Failed
	E = engine.Errored
)

// lover is a UDP peer in the style of the format's grading example: it
// answers "i love you" with "i love me", "binary" with three bytes, and
// ignores anything else.
func lover(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 64<<10)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			switch string(buf[:n]) {
			case "i love you":
				_, _ = pc.WriteTo([]byte("i love me"), from)
			case "binary":
				_, _ = pc.WriteTo([]byte{0, 1, 2}, from)
			}
		}
	}()
	t.Cleanup(func() {
		pc.Close()
		<-done
	})
	return pc.LocalAddr().String()
}

// harness loads and runs scenarios with the udp plugin.
func harness(t *testing.T) *steptest.Harness {
	t.Helper()
	return steptest.New(t, udp.Plugin{})
}

func TestGradingExample(t *testing.T) {
	addr := lover(t)
	res := harness(t).Run("", `
name: udp
steps:
  - connect: udp://ADDR
    assert: [result.remote == "ADDR", result.tls == nil]
  - send: i love you
    assert: result.bytes == 10
  - expect: { equals: i love me }
    assert:
      - result.from == "ADDR"
      - result.bytes == 9
      - result.data == "i love me"
  - send: i love you
  - expect: { match: 'love (?P<who>\w+)' }
    assert:
      - result.groups[1] == "me"
      - result.named.who == "me"
  - send: ignored
  - expect: { nothing: true }
    timeout: 200ms
  - send: binary
  - expect: { equals: i love me }
    continue: true
  - expect: anything
    timeout: 200ms
`, "ADDR", addr)
	steptest.Check(t, res, P, P, P, P, P, P, P, P, F, F)
	if f := steptest.Failure(t, res, 9, `the datagram is hex: 00 01 02, want "i love me"`); f.Received != "hex: 00 01 02" {
		t.Errorf("received %s", f.Received)
	}
	steptest.Failure(t, res, 10, "timed out after ", ` waiting for a datagram that contains "anything" (nothing received)`)
	if got := res.Steps[2].Name; got != `udp expect equals "i love me"` {
		t.Errorf("name %q", got)
	}
}

func TestRefused(t *testing.T) {
	addr := unusedPort(t)
	res := harness(t).Run("", `
name: refused
steps:
  - connect: udp://ADDR
  - send: hello
  - expect: hello
    timeout: 5s
`, "ADDR", addr)
	steptest.Check(t, res, P, P, E)
	steptest.Failure(t, res, 3, "udp "+addr+" refused: nothing is listening on that port (ICMP port unreachable)")
}

// unusedPort returns a loopback address where no UDP socket listens. The
// port is below the kernel's ephemeral range where it can tell (Linux):
// a port from that range, freed, can come back as the local port of the
// connected socket, which then hears its own datagrams instead of a
// refusal.
func unusedPort(t *testing.T) string {
	t.Helper()
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if low, err := strconv.Atoi(f[0]); err == nil && low > 2048 {
				for p := low - 1; p > low-1000; p-- {
					pc, err := net.ListenPacket("udp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
					if err == nil {
						pc.Close()
						return pc.LocalAddr().String()
					}
				}
			}
		}
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pc.Close()
	return pc.LocalAddr().String()
}

func TestListen(t *testing.T) {
	res := harness(t).Run("", `
name: listen
steps:
  - listen: udp://127.0.0.1:0
    as: srv
    id: l
    assert: [result.port > 0, result.host == "127.0.0.1"]
  - send: too early
    on: srv
    continue: true
  - connect: 'udp://{{ steps.l.address }}'
    as: cli
    id: c
    line_ending: lf
  - send: { line: ping }
    on: cli
  - expect: { equals: "ping\n" }
    on: srv
    assert: result.from == steps.c.local
  - send: { base64: cG9uZw== }
    on: srv
  - expect: { equals: pong, reject: ERR }
    on: cli
  - expect: { nothing: true }
    on: srv
    timeout: 200ms
`)
	steptest.Check(t, res, P, E, P, P, P, P, P, P)
	steptest.Failure(t, res, 2, "has no peer to reply to yet: expect a datagram first")
}

func TestDNSAndTemplates(t *testing.T) {
	dir := t.TempDir()
	sc, err := harness(t).Load(dir, `
name: dns
steps:
  - connect: udp://netrun-test.invalid:53
    continue: true
  - connect: udp://ADDR
  - send: '{{ "x" }}'
  - send: { hex: '{{ sha256("") + sha256("") }}' }
`, "ADDR", lover(t))
	if err != nil {
		t.Fatal(err)
	}
	res := engine.Run(context.Background(), sc, engine.RunOptions{})
	steptest.Check(t, res, E, P, P, P)
	steptest.Failure(t, res, 1, `cannot resolve host "netrun-test.invalid"`)
}

func TestTooBig(t *testing.T) {
	res := harness(t).Run("", `
name: big
vars:
  big: '{{ repeat("x", 70000) }}'
steps:
  - connect: udp://ADDR
  - send: '{{ big }}'
`, "ADDR", lover(t))
	steptest.Check(t, res, P, E)
	steptest.Failure(t, res, 2, "a datagram holds at most 65507 bytes; this one has 70000")
}

func TestLoadErrors(t *testing.T) {
	_, err := harness(t).Load(t.TempDir(), `name: errors
steps:
  - connect: udp://127.0.0.1:53
    line_ending: '\q'
  - expect: { line: true, equals: x }
  - accept: true
  - listen: udp://127.0.0.1
`)
	var list engine.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %v", err)
	}
	all := list.Error()
	for _, want := range []string{
		`4:18: line_ending "\\q": unknown escape \q`,
		"5:15: udp expects one datagram at a time: line does not apply",
		"6:13: udp has no accept",
		`7:13: URL "udp://127.0.0.1" has no port`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in:\n%s", want, all)
		}
	}
}

// TestCloseUnblocks checks that a waiting expect ends at its deadline even
// when the peer never answers, with no time assertions: it must return.
func TestCloseUnblocks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sc, err := harness(t).Load(t.TempDir(), `
name: unblock
steps:
  - listen: udp://127.0.0.1:0
  - expect: x
    timeout: 100ms
`)
	if err != nil {
		t.Fatal(err)
	}
	res := engine.Run(ctx, sc, engine.RunOptions{})
	steptest.Check(t, res, P, F)
}

// forgetful is a UDP server that drops the first datagram it gets and
// answers each later one with "i love me", as a server that binds a new
// socket for every datagram loses the one that comes between two. It
// counts the datagrams it got.
func forgetful(t *testing.T) (addr string, got func() int) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	count := make(chan int, 1)
	count <- 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 64<<10)
		for {
			_, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			n := <-count + 1
			count <- n
			if n > 1 {
				_, _ = pc.WriteTo([]byte("i love me"), from)
			}
		}
	}()
	t.Cleanup(func() {
		pc.Close()
		<-done
	})
	return pc.LocalAddr().String(), func() int { n := <-count; count <- n; return n }
}

// TestResend hears a server that lost the first datagram: with resend the
// datagram goes again and the answer comes; without it the expect times
// out.
func TestResend(t *testing.T) {
	addr, got := forgetful(t)
	res := harness(t).Run("", `
name: resend
steps:
  - connect: udp://ADDR
    resend: 50ms
  - send: i love you
  - expect: { equals: i love me }
    timeout: 10s
`, "ADDR", addr)
	steptest.Check(t, res, P, P, P)
	if tr := steptest.Transcript(res, 3); !strings.Contains(tr, "no answer within 50ms: sent the datagram again") {
		t.Errorf("transcript:\n%s", tr)
	}
	if n := got(); n != 2 {
		t.Errorf("the server got %d datagrams, want 2", n)
	}

	addr, _ = forgetful(t)
	res = harness(t).Run("", `
name: no-resend
steps:
  - connect: udp://ADDR
  - send: i love you
  - expect: { equals: i love me }
    timeout: 200ms
`, "ADDR", addr)
	steptest.Check(t, res, P, P, F)
	steptest.Failure(t, res, 3, "waiting for a datagram")
}

// TestResendRefused sends again to a port that refuses, and ends with the
// refusal when the step timeout passes.
func TestResendRefused(t *testing.T) {
	addr := unusedPort(t)
	res := harness(t).Run("", `
name: refused
steps:
  - connect: udp://ADDR
    resend: 20ms
  - send: hello
  - expect: hello
    timeout: 300ms
`, "ADDR", addr)
	steptest.Check(t, res, P, P, E)
	steptest.Failure(t, res, 3, "udp "+addr+" refused: nothing is listening on that port")
	if tr := steptest.Transcript(res, 3); !strings.Contains(tr, "sent the datagram again") {
		t.Errorf("transcript:\n%s", tr)
	}
}

func TestResendLoadErrors(t *testing.T) {
	_, err := harness(t).Load(t.TempDir(), `name: errors
steps:
  - listen: udp://127.0.0.1:0
    resend: 1s
  - connect: udp://127.0.0.1:53
    resend: soon
`)
	if err == nil {
		t.Fatal("loaded")
	}
	for _, want := range []string{
		"4:13: resend goes with connect",
		`6:13: "soon" is not a duration`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%s", want, err)
		}
	}
}
