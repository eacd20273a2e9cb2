package ws_test

import (
	"strings"
	"testing"

	"github.com/netrunhq/netrun/internal/steptest"
)

func TestEcho(t *testing.T) {
	addr := newServer(t, nil)
	dir := t.TempDir()
	steptest.WriteFile(t, dir, "blob.bin", []byte{0, 1, 2, 0xff})
	res := harness(t).Run(dir, `
name: echo
secrets:
  token: s3cr3t-token
steps:
  - connect: ws://ADDR/echo?room=1
    headers: { X-Token: '{{ token }}', Origin: http://example.test }
    subprotocols: [chat, superchat]
    assert:
      - result.subprotocol == "chat"
      - result.url == "ws://ADDR/echo?room=1"
      - result.remote == "ADDR"
      - result.tls == nil
      - result.headers.Upgrade == "websocket"
  - expect: { match: '^hello (\S+) (?P<origin>\S+) chat$' }
    assert: [result.named.origin == "http://example.test", result.type == "text"]
  - send: ping 42
    assert: [result.bytes == 7, result.type == "text"]
  - expect: { match: '^ping (\d+)$' }
    assert:
      - result.groups[1] == "42"
      - result.data == "ping 42"
      - result.from == "ADDR"
  - send: { hex: '00 01 02 ff' }
    assert: result.type == "binary"
  - expect: {}
    assert: [result.type == "binary", result.hex == "000102ff", result.bytes == 4]
  - send: { base64: AAEC }
  - expect: { equals: "\x00\x01\x02" }
    assert: result.hex == "000102"
  - send: { file: blob.bin }
  - expect: {}
    assert: result.hex == "000102ff"
  - send: { text: hello }
  - expect: hell
  - expect: { nothing: true }
    timeout: 100ms
  - send: again
  - expect: { equals: again }
  - send: wrong
  - expect: { equals: right }
    continue: true
  - send: ERROR disk full
  - expect: { contains: OK, reject: 'ERR\w+' }
    continue: true
  - close: true
`, "ADDR", addr)
	steptest.Check(t, res, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, F, P, F, P)
	if f := steptest.Failure(t, res, 17, `text message: the message is "wrong", want "right"`); f.Received != `"wrong"` {
		t.Errorf("received %s", f.Received)
	}
	steptest.Failure(t, res, 19, `received "ERROR", which matches reject /ERR\w+/`)
	names := map[int]string{3: `ws send "ping 42"`, 5: `ws send binary hex "00 01 02 ff"`, 4: `ws expect match /^ping (\d+)$/`, 13: "ws expect nothing"}
	for i, want := range names {
		if got := res.Steps[i-1].Name; got != want {
			t.Errorf("step %d name %q, want %q", i, got, want)
		}
	}
	if tr := steptest.Transcript(res, 6); !strings.Contains(tr, "< hex: 00 01 02 ff") {
		t.Errorf("binary transcript:\n%s", tr)
	}
	tr := steptest.Transcript(res, 1) + steptest.Transcript(res, 2)
	if strings.Contains(tr, "s3cr3t") || !strings.Contains(tr, "hello ***") {
		t.Errorf("transcript:\n%s", tr)
	}
	if tr := steptest.Transcript(res, 1); !strings.Contains(tr, `* handshake GET /echo?room=1: 101 Switching Protocols, subprotocol "chat"`) {
		t.Errorf("connect transcript:\n%s", tr)
	}
}

func TestPeerCloses(t *testing.T) {
	addr := newServer(t, nil)
	res := harness(t).Run("", `
name: closed
steps:
  - connect: ws://ADDR/echo
  - expect: hello
  - send: close
  - expect: { equals: more }
    continue: true
  - expect: { nothing: true }
    continue: true
  - send: after
    continue: true
  - expect: { closed: true }
    assert: [result.closed, result.code == 1000, result.reason == "bye", result.type == ""]
  - close: true
  - connect: ws://ADDR/drop
  - send: x
  - expect: { closed: true }
    assert: [result.code == 1006, result.reason == ""]
  - connect: ws://ADDR/echo
  - expect: { closed: true }
    continue: true
  - expect: { closed: true }
    timeout: 100ms
`, "ADDR", addr)
	steptest.Check(t, res, P, P, P, F, F, E, P, P, P, P, P, P, F, F)
	steptest.Failure(t, res, 4, `the peer closed the WebSocket with 1000 (normal closure) "bye" while we waited for a message equal to "more"`)
	steptest.Failure(t, res, 5, `the peer closed the WebSocket with 1000 (normal closure) "bye" while we waited for silence`)
	steptest.Failure(t, res, 6, `cannot send: the peer closed the WebSocket with 1000 (normal closure) "bye"`)
	steptest.Failure(t, res, 14, "timed out after ", " waiting for the peer to close the WebSocket")
	f := steptest.Failure(t, res, 13, "waiting for the peer to close the WebSocket, received a text message of 5 bytes")
	if f.Received != `"hello"` {
		t.Errorf("received %s", f.Received)
	}
}

func TestLimitsAndSilence(t *testing.T) {
	addr := newServer(t, nil)
	res := harness(t).Run("", `
name: limits
steps:
  - connect: ws://ADDR/silent
  - expect: hello
    timeout: 100ms
    continue: true
  - expect: { nothing: true }
    timeout: 100ms
  - connect: ws://ADDR/echo
    max_message: 1KiB
  - expect: hello
  - send: '{{ "x" + "y" }}'
  - expect: { equals: xy }
  - send: big
  - expect: {}
    continue: true
  - expect: { closed: true }
`, "ADDR", addr)
	steptest.Check(t, res, P, F, P, P, P, P, P, P, F, F)
	steptest.Failure(t, res, 2, "timed out after ", `waiting for a message that contains "hello" (nothing received)`)
	steptest.Failure(t, res, 9, "a message larger than max_message (1 KiB) arrived, so netrun closed the WebSocket with 1009 (message too big)")
	steptest.Failure(t, res, 10, "a message larger than max_message (1 KiB) arrived")
}

func TestHandshakeFailures(t *testing.T) {
	addr := newServer(t, nil)
	res := harness(t).Run("", `
name: handshake
steps:
  - connect: ws://ADDR/reject
    continue: true
  - connect: ws://CLOSED/
    continue: true
  - connect: ws://ADDR/nowhere
    continue: true
  - connect: ws://ADDR/moved
`, "ADDR", addr, "CLOSED", steptest.ClosedPort(t))
	steptest.Check(t, res, E, E, E, E)
	steptest.Failure(t, res, 1, "websocket handshake with ws://"+addr+"/reject: the server answered 403 Forbidden, not 101 Switching Protocols: \"forbidden\\n\"")
	steptest.Failure(t, res, 2, "connection refused by 127.0.0.1:", "nothing is listening")
	steptest.Failure(t, res, 3, "the server answered 404 Not Found")
	// A redirect is not followed: the TLS setting and the name checked
	// belong to the URL of the step.
	steptest.Failure(t, res, 4, "the server answered 302 Found, not 101")
}
