package tcp_test

import (
	"context"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/tcp"
)

// harness loads and runs scenarios with the tcp plugin (tcp and tls).
func harness(t *testing.T) *steptest.Harness {
	t.Helper()
	return steptest.New(t, tcp.Plugin{})
}

const (
	P = engine.Passed
	F = engine.Failed
	E = engine.Errored
	S = engine.Skipped
)

func TestDialogue(t *testing.T) {
	addr := steptest.Serve(t, nil,
		steptest.Say("220 hello there\r\n"),
		steptest.Hear("PING\r\n"),
		steptest.Say("PONG\r\nEXTRAa;b;"),
		steptest.Hear("\xde\xad\xbe\xefraw text"),
		steptest.Say("bye"),
		steptest.HangUp(),
	)
	res := harness(t).Run(t.TempDir(), `
name: dialogue
steps:
  - connect: tcp://ADDR
    assert: [result.remote == "ADDR", result.tls == nil, result.local != ""]
  - expect: { line: true, match: '^(?P<code>\d{3}) (\w+)' }
    assert:
      - result.data == "220 hello there"
      - result.groups[2] == "hello"
      - result.named.code == "220"
      - result.from == "ADDR"
  - send: { line: PING }
    assert: result.bytes == 6
  - expect: PONG
    assert: result.data == "PONG"
  - expect: { equals: "\r\n" }
  - expect: { bytes: 5 }
    assert: result.data == "EXTRA"
  - expect: { until: ";" }
    assert: result.data == "a"
  - expect: { until: ";" }
    assert: result.data == "b"
  - send: { hex: "de ad be ef" }
  - send: raw text
    assert: result.bytes == 8
  - expect: { closed: true }
    assert: [result.closed, result.data == "bye"]
`, "ADDR", addr)
	steptest.Check(t, res, P, P, P, P, P, P, P, P, P, P, P)
	names := []string{"tcp connect " + addr, `tcp expect line match /^(?P<code>\d{3}) (\w+)/`, `tcp send line "PING"`,
		`tcp expect "PONG"`, `tcp expect equals "\r\n"`, "tcp expect 5 bytes"}
	for i, want := range names {
		if got := res.Steps[i].Name; got != want {
			t.Errorf("step %d name %q, want %q", i+1, got, want)
		}
	}
	tr := res.Steps[2].Transcript
	if len(tr) != 1 || tr[0].Dir != ">" || tr[0].Text != `"PING\r\n"` {
		t.Errorf("send transcript %+v", tr)
	}
	if tr := res.Steps[1].Transcript; len(tr) == 0 || tr[0].Dir != "<" || !strings.Contains(tr[0].Text, "220 hello there") {
		t.Errorf("expect transcript %+v", tr)
	}
}

func TestConnectFailures(t *testing.T) {
	res := harness(t).Run(t.TempDir(), `
name: refused
steps:
  - connect: tcp://ADDR
    continue: true
  - connect: tcp://netrun-test.invalid:7
    continue: true
  - connect: 'tcp://{{ "127.0.0.1" }}'
`, "ADDR", steptest.ClosedPort(t))
	steptest.Check(t, res, E, E, E)
	steptest.Failure(t, res, 1, "connection refused by 127.0.0.1:", "nothing is listening")
	steptest.Failure(t, res, 2, `cannot resolve host "netrun-test.invalid"`)
	steptest.Failure(t, res, 3, `URL "tcp://127.0.0.1" has no port`)
}

func TestSilentPeer(t *testing.T) {
	addr := steptest.Serve(t, nil, steptest.Say("hel"), steptest.ListenToEnd())
	res := harness(t).Run(t.TempDir(), `
name: silent
steps:
  - connect: tcp://ADDR
  - expect: hello
    timeout: 200ms
    continue: true
  - expect: { nothing: true }
    timeout: 200ms
    assert: result.bytes == 0
`, "ADDR", addr)
	// The second expect sees the "hel" the first left buffered.
	steptest.Check(t, res, P, F, F)
	f := steptest.Failure(t, res, 2, "timed out after", `waiting for data that contains "hello" (received 3 bytes without a match)`)
	if f.Kind != F || f.Received != `"hel"` {
		t.Errorf("failure %+v", f)
	}
	steptest.Failure(t, res, 3, "expected nothing, received 3 bytes")
}

func TestNothingPasses(t *testing.T) {
	addr := steptest.Serve(t, nil, steptest.ListenToEnd())
	res := harness(t).Run(t.TempDir(), `
name: nothing
steps:
  - connect: tcp://ADDR
  - expect: { nothing: true }
    timeout: 200ms
  - expect: { line: true }
    timeout: 200ms
`, "ADDR", addr)
	steptest.Check(t, res, P, P, F)
	steptest.Failure(t, res, 3, "waiting for a line (nothing received)")
}

func TestPeerClosesMidReply(t *testing.T) {
	addr := steptest.Serve(t, nil, steptest.Say("250-first\r\n250 sec"), steptest.HangUp())
	res := harness(t).Run(t.TempDir(), `
name: mid-reply
steps:
  - connect: tcp://ADDR
  - expect: { line: true, equals: 250-first }
  - expect: { line: true, match: '^250 ' }
`, "ADDR", addr)
	steptest.Check(t, res, P, P, F)
	f := steptest.Failure(t, res, 3, "the peer closed the connection while we waited for a line that matches /^250 /")
	if f.Received != `"250 sec"` {
		t.Errorf("received %s", f.Received)
	}
}

// TestPartialFrames reads a reply that is a line, or what comes before the
// close, or what came by the timeout: a server's reply judged however it
// ends, with result.partial and result.closed saying how it ended.
func TestPartialFrames(t *testing.T) {
	open := steptest.Serve(t, nil, steptest.Hear("a\r\n"), steptest.Say("12:00 a"), steptest.ListenToEnd())
	closing := steptest.Serve(t, nil, steptest.Hear("b\r\n"), steptest.Say("12:00 b"), steptest.HangUp())
	line := steptest.Serve(t, nil, steptest.Hear("c\r\n"), steptest.Say("12:00 c\r\n"), steptest.ListenToEnd())
	silent := steptest.Serve(t, nil, steptest.ListenToEnd())
	res := harness(t).Run(t.TempDir(), `
name: partial
defaults: { continue: true }
steps:
  - connect: tcp://OPEN
  - send: { line: a }
  - expect: { line: true, partial: true, match: '^12:00 a$' }
    timeout: 200ms
    assert: [result.partial, not result.closed]
  - connect: tcp://CLOSING
  - send: { line: b }
  - expect: { line: true, partial: true, equals: '12:00 b' }
    assert: [result.partial, result.closed]
  - connect: tcp://LINE
  - send: { line: c }
  - expect: { line: true, partial: true, equals: '12:00 c' }
    assert: not result.partial
  - connect: tcp://SILENT
  - expect: { line: true, partial: true }
    timeout: 200ms
`, "OPEN", open, "CLOSING", closing, "LINE", line, "SILENT", silent)
	steptest.Check(t, res, P, P, P, P, P, P, P, P, P, P, F)
	steptest.Failure(t, res, 11, "waiting for a line (nothing received)")
}

func TestFloodIsBounded(t *testing.T) {
	addr := steptest.Serve(t, nil, steptest.Flood())
	res := harness(t).Run(t.TempDir(), `
name: flood
steps:
  - connect: tcp://ADDR
    max_buffer: 64KiB
  - expect: END
`, "ADDR", addr)
	steptest.Check(t, res, P, F)
	f := steptest.Failure(t, res, 2, "received 64 KiB without a match")
	if !strings.HasPrefix(f.Received, "…(") || !strings.HasSuffix(f.Received, `xxx"`) {
		t.Errorf("received %s", f.Received)
	}
}

func TestMismatchAndReject(t *testing.T) {
	addr := steptest.Serve(t, nil, steptest.Say("NO\r\nERROR disk full\r\n\x00\x01\x02\n"), steptest.ListenToEnd())
	res := harness(t).Run(t.TempDir(), `
name: mismatch
steps:
  - connect: tcp://ADDR
  - expect: { line: true, equals: OK }
    continue: true
  - expect: { line: true, equals: OK, reject: 'ERR\w+' }
    continue: true
  - expect: { line: true, contains: OK }
`, "ADDR", addr)
	steptest.Check(t, res, P, F, F, F)
	if f := steptest.Failure(t, res, 2, `the line is "NO", want "OK"`); f.Received != `"NO"` {
		t.Errorf("received %s", f.Received)
	}
	steptest.Failure(t, res, 3, `received "ERROR", which matches reject /ERR\w+/`)
	if f := steptest.Failure(t, res, 4, "does not contain"); f.Received != "hex: 00 01 02" {
		t.Errorf("binary received %s", f.Received)
	}
}

func TestListenAccept(t *testing.T) {
	res := harness(t).Run(t.TempDir(), `
name: listen
steps:
  - listen: tcp://127.0.0.1:0
    as: srv
    id: l
    assert: [result.port > 0, result.host == "127.0.0.1"]
  - connect: 'tcp://127.0.0.1:{{ steps.l.port }}'
    as: cli
    line_ending: lf
  - accept: true
    on: srv
    as: peer
    assert: result.local == steps.l.address
  - send: { line: hello }
    on: cli
  - expect: { line: true, line_ending: lf, equals: hello }
    on: peer
  - send: { line: back, line_ending: crlf }
    on: peer
  - expect: { line: true, equals: back }
    on: cli
  - close: peer
  - expect: { closed: true }
    on: cli
    assert: result.data == ""
  - accept: true
    on: srv
    timeout: 200ms
`)
	steptest.Check(t, res, P, P, P, P, P, P, P, P, P, E)
	steptest.Failure(t, res, 10, "no client connected to 127.0.0.1:", "within")
}

func TestListenerIsNotAConnection(t *testing.T) {
	res := harness(t).Run(t.TempDir(), `
name: listener
steps:
  - listen: tcp://127.0.0.1:0
  - send: hello
`)
	steptest.Check(t, res, P, E)
	steptest.Failure(t, res, 2, "is a listener: accept a client first")
}

func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr := steptest.Serve(t, nil, steptest.Hear("WAIT\r\n"), steptest.Do(cancel), steptest.ListenToEnd())
	res := harness(t).RunContext(ctx, t.TempDir(), `
name: interrupt
steps:
  - connect: tcp://ADDR
  - send: { line: WAIT }
  - expect: never
    timeout: 1m
`, "ADDR", addr)
	steptest.Check(t, res, P, P, E)
	if !res.Interrupted {
		t.Error("not marked interrupted")
	}
}

func TestPayloadFile(t *testing.T) {
	dir := t.TempDir()
	steptest.WriteFile(t, dir, "hello.bin", []byte("\x01\x02hello"))
	addr := steptest.Serve(t, nil, steptest.Hear("\x01\x02hello"), steptest.Hear("3q2+7w\r\n"), steptest.Say("ok\n"), steptest.ListenToEnd())
	res := harness(t).Run(dir, `
name: file
vars:
  word: 3q2+7w
steps:
  - connect: tcp://ADDR
  - send: { file: hello.bin }
    assert: result.bytes == 7
  - send: { line: '{{ word }}' }
  - expect: { line: true, equals: ok }
  - send: { file: missing.bin }
`, "ADDR", addr)
	steptest.Check(t, res, P, P, P, P, E)
	steptest.Failure(t, res, 5, "missing.bin", "no such file")
}

// TestFailedAssertShowsReceived checks that a failed assertion shows the
// end of what its step received, as a mismatch does.
func TestFailedAssertShowsReceived(t *testing.T) {
	addr := steptest.Serve(t, nil, steptest.Say("220 ready\r\n"), steptest.ListenToEnd())
	res := harness(t).Run(t.TempDir(), `
name: assert
steps:
  - connect: tcp://ADDR
  - expect: { line: true }
    assert: result.data == "250 ok"
`, "ADDR", addr)
	steptest.Check(t, res, P, F)
	if f := steptest.Failure(t, res, 2, `assertion failed: result.data == "250 ok"`); f.Received != `"220 ready\r\n"` {
		t.Errorf("received %s", f.Received)
	}
}
