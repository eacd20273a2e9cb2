package tcp_test

import (
	"context"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
)

const (
	P = engine.Passed
	F = engine.Failed
	E = engine.Errored
	S = engine.Skipped
)

func TestDialogue(t *testing.T) {
	addr := serve(t, nil,
		say("220 hello there\r\n"),
		hear("PING\r\n"),
		say("PONG\r\nEXTRAa;b;"),
		hear("\xde\xad\xbe\xefraw text"),
		say("bye"),
		hangUp(),
	)
	res := run(t, context.Background(), t.TempDir(), `
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
	check(t, res, P, P, P, P, P, P, P, P, P, P, P)
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
	res := run(t, context.Background(), t.TempDir(), `
name: refused
steps:
  - connect: tcp://ADDR
    continue: true
  - connect: tcp://netrun-test.invalid:7
    continue: true
  - connect: 'tcp://{{ "127.0.0.1" }}'
`, "ADDR", closedPort(t))
	check(t, res, E, E, E)
	failure(t, res, 1, "connection refused by 127.0.0.1:", "nothing is listening")
	failure(t, res, 2, `cannot resolve host "netrun-test.invalid"`)
	failure(t, res, 3, `URL "tcp://127.0.0.1" has no port`)
}

func TestSilentPeer(t *testing.T) {
	addr := serve(t, nil, say("hel"), listenToEnd())
	res := run(t, context.Background(), t.TempDir(), `
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
	check(t, res, P, F, F)
	f := failure(t, res, 2, "timed out after", `waiting for data that contains "hello" (received 3 bytes without a match)`)
	if f.Kind != F || f.Received != `"hel"` {
		t.Errorf("failure %+v", f)
	}
	failure(t, res, 3, "expected nothing, received 3 bytes")
}

func TestNothingPasses(t *testing.T) {
	addr := serve(t, nil, listenToEnd())
	res := run(t, context.Background(), t.TempDir(), `
name: nothing
steps:
  - connect: tcp://ADDR
  - expect: { nothing: true }
    timeout: 200ms
  - expect: { line: true }
    timeout: 200ms
`, "ADDR", addr)
	check(t, res, P, P, F)
	failure(t, res, 3, "waiting for a line (nothing received)")
}

func TestPeerClosesMidReply(t *testing.T) {
	addr := serve(t, nil, say("250-first\r\n250 sec"), hangUp())
	res := run(t, context.Background(), t.TempDir(), `
name: mid-reply
steps:
  - connect: tcp://ADDR
  - expect: { line: true, equals: 250-first }
  - expect: { line: true, match: '^250 ' }
`, "ADDR", addr)
	check(t, res, P, P, F)
	f := failure(t, res, 3, "the peer closed the connection while we waited for a line that matches /^250 /")
	if f.Received != `"250 sec"` {
		t.Errorf("received %s", f.Received)
	}
}

func TestFloodIsBounded(t *testing.T) {
	addr := serve(t, nil, flood())
	res := run(t, context.Background(), t.TempDir(), `
name: flood
steps:
  - connect: tcp://ADDR
    max_buffer: 64KiB
  - expect: END
`, "ADDR", addr)
	check(t, res, P, F)
	f := failure(t, res, 2, "received 64 KiB without a match")
	if !strings.HasPrefix(f.Received, "…(") || !strings.HasSuffix(f.Received, `xxx"`) {
		t.Errorf("received %s", f.Received)
	}
}

func TestMismatchAndReject(t *testing.T) {
	addr := serve(t, nil, say("NO\r\nERROR disk full\r\n\x00\x01\x02\n"), listenToEnd())
	res := run(t, context.Background(), t.TempDir(), `
name: mismatch
steps:
  - connect: tcp://ADDR
  - expect: { line: true, equals: OK }
    continue: true
  - expect: { line: true, equals: OK, reject: 'ERR\w+' }
    continue: true
  - expect: { line: true, contains: OK }
`, "ADDR", addr)
	check(t, res, P, F, F, F)
	if f := failure(t, res, 2, `the line is "NO", want "OK"`); f.Received != `"NO"` {
		t.Errorf("received %s", f.Received)
	}
	failure(t, res, 3, `received "ERROR", which matches reject /ERR\w+/`)
	if f := failure(t, res, 4, "does not contain"); f.Received != "hex: 00 01 02" {
		t.Errorf("binary received %s", f.Received)
	}
}

func TestListenAccept(t *testing.T) {
	res := run(t, context.Background(), t.TempDir(), `
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
	check(t, res, P, P, P, P, P, P, P, P, P, E)
	failure(t, res, 10, "no client connected to 127.0.0.1:", "within")
}

func TestListenerIsNotAConnection(t *testing.T) {
	res := run(t, context.Background(), t.TempDir(), `
name: listener
steps:
  - listen: tcp://127.0.0.1:0
  - send: hello
`)
	check(t, res, P, E)
	failure(t, res, 2, "is a listener: accept a client first")
}

func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr := serve(t, nil, hear("WAIT\r\n"), do(cancel), listenToEnd())
	res := run(t, ctx, t.TempDir(), `
name: interrupt
steps:
  - connect: tcp://ADDR
  - send: { line: WAIT }
  - expect: never
    timeout: 1m
`, "ADDR", addr)
	check(t, res, P, P, E)
	if !res.Interrupted {
		t.Error("not marked interrupted")
	}
}

func TestPayloadFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "hello.bin", []byte("\x01\x02hello"))
	addr := serve(t, nil, hear("\x01\x02hello"), hear("3q2+7w\r\n"), say("ok\n"), listenToEnd())
	res := run(t, context.Background(), dir, `
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
	check(t, res, P, P, P, P, E)
	failure(t, res, 5, "missing.bin", "no such file")
}
