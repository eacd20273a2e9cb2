package ws_test

import (
	"strings"
	"testing"

	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/program"
	"github.com/netrunhq/netrun/steps/tcp"
	"github.com/netrunhq/netrun/steps/ws"
)

// TestListenAccept checks a ws listener against the ws client of the same
// scenario: the handshake completes before the accept step, messages go
// both ways, a second client is accepted on its own, and wss with a
// generated certificate is verified by the client.
func TestListenAccept(t *testing.T) {
	res := harness(t).Run(t.TempDir(), `
name: listen
steps:
  - listen: ws://127.0.0.1:0
    subprotocols: [chat]
    id: srv
    as: srv
  - connect: 'ws://127.0.0.1:{{ steps.srv.port }}/room?x=1'
    subprotocols: [chat]
    headers: { X-Who: alice }
    as: alice
    assert: result.subprotocol == "chat"
  - accept: true
    on: srv
    as: peer
    assert:
      - result.path == "/room"
      - result.query == "x=1"
      - result.headers["X-Who"] == "alice"
      - result.subprotocol == "chat"
  - send: hello
    on: alice
  - expect: hello
    on: peer
    assert: result.type == "text"
  - send: { hex: '68 69' }
    on: peer
  - expect: hi
    on: alice
    assert: result.type == "binary"
  - connect: 'ws://127.0.0.1:{{ steps.srv.port }}/'
    as: bob
  - accept: true
    on: srv
    as: peer2
  - send: to bob
    on: peer2
  - expect: to bob
    on: bob
  - expect: { nothing: true }
    on: alice
    timeout: 100ms
  - listen: wss://127.0.0.1:0
    tls: { generate: { name: ws.test } }
    id: secure
    as: secure
  - connect: 'wss://127.0.0.1:{{ steps.secure.port }}/'
    tls: { ca: '{{ steps.secure.ca }}', sni: ws.test }
    as: carol
  - accept: true
    on: secure
    as: peer3
    assert: result.tls != nil
  - send: over tls
    on: carol
  - expect: over tls
    on: peer3
`)
	steptest.Check(t, res, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P)
	if tr := steptest.Transcript(res, 15); strings.Count(tr, "* TLS 1.3") != 1 {
		t.Errorf("the wss accept's transcript lacks one note of its TLS session:\n%s", tr)
	}
}

// TestListenNotWebSocket checks that a plain HTTP request fails accept
// with what it was, and that the client got an HTTP error.
func TestListenNotWebSocket(t *testing.T) {
	h := steptest.New(t, ws.Plugin{}, tcp.Plugin{})
	res := h.Run("", `
name: plain
steps:
  - listen: ws://127.0.0.1:0
    id: srv
    as: srv
  - connect: 'tcp://127.0.0.1:{{ steps.srv.port }}'
    as: raw
  - send: "GET /x HTTP/1.1\r\nHost: a\r\n\r\n"
    on: raw
  - accept: true
    on: srv
    continue: true
  - expect: { line: true, match: '^HTTP/1.1 4\d\d ' }
    on: raw
`)
	steptest.Check(t, res, P, P, P, F, P)
	steptest.Failure(t, res, 4, "GET /x", "is not a WebSocket handshake")
}

// TestListenTimeout checks that accept without a client ends with the
// step's timeout, and the load errors of listen.
func TestListenTimeout(t *testing.T) {
	h := harness(t)
	res := h.Run("", `
name: none
steps:
  - listen: ws://127.0.0.1:0
  - accept: true
    timeout: 100ms
`)
	steptest.Check(t, res, P, E)
	steptest.Failure(t, res, 2, "no request came to 127.0.0.1:")
	for _, tc := range []struct{ src, want string }{
		{"listen: ws://127.0.0.1:0\n    tls: { generate: { name: x } }", "tls options go with wss://"},
		{"listen: wss://127.0.0.1:0", "a tls listener needs"},
		{"listen: ws://127.0.0.1:0/path", "has a path or query"},
		{"listen: ws://127.0.0.1:0\n  - accept: yes", "accept takes true"},
	} {
		errs := strings.Join(h.LoadErrors("name: x\nsteps:\n  - "+tc.src+"\n"), "\n")
		if !strings.Contains(errs, tc.want) {
			t.Errorf("%s: errors %q lack %q", tc.src, errs, tc.want)
		}
	}
}

// TestListenProgramsGone checks that accept fails at once, instead of
// waiting for its timeout, when the only program that could connect has
// ended without connecting.
func TestListenProgramsGone(t *testing.T) {
	h := steptest.New(t, ws.Plugin{}, program.New())
	res := h.Run("", `
name: gone
steps:
  - listen: ws://127.0.0.1:0
    as: srv
  - spawn: [sh, -c, 'exit 3']
  - accept: true
    on: srv
    timeout: 1h
`)
	steptest.Check(t, res, P, P, E)
	steptest.Failure(t, res, 3, "no request came to 127.0.0.1:", "and none can")
}

// TestListenRefusedRequest checks that a hand-written handshake the HTTP
// server refuses on its own fails accept with the bytes sent.
func TestListenRefusedRequest(t *testing.T) {
	h := steptest.New(t, ws.Plugin{}, tcp.Plugin{})
	res := h.Run("", `
name: refused
steps:
  - listen: ws://127.0.0.1:0
    id: srv
    as: srv
  - connect: 'tcp://127.0.0.1:{{ steps.srv.port }}'
    as: raw
  - send: "GET /chat HTTP/1.1\r\nUpgrade: websocket\r\n\r\n"
  - accept: true
    on: srv
    timeout: 1m
`)
	steptest.Check(t, res, P, P, P, F)
	if f := steptest.Failure(t, res, 4, "sent a request the HTTP server refused: 400 Bad Request: missing required Host header"); f.Received != `"GET /chat HTTP/1.1\r\nUpgrade: websocket\r\n\r\n"` {
		t.Errorf("received %s", f.Received)
	}
}
