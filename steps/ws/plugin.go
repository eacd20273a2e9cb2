// Package ws is the plugin for ws:// and wss:// URLs (RFC 6455), on
// github.com/coder/websocket: connect with the handshake, send text or
// binary messages, and expect one message at a time, matched like tcp data
// (see package wire).
//
//	steps:
//	  - connect: wss://{{ host }}/echo       # port 80 or 443 unless given
//	    tls: { ca: '{{ sandbox("ca") }}' }
//	    headers: { Origin: https://example.test }
//	    subprotocols: [chat]
//	    max_message: 1MiB                    # the default; a longer message fails expect
//	  - send: hello                          # a text message
//	  - send: { hex: 'de ad be ef' }         # a binary message; also base64, file; { text } is text
//	  - expect: { match: '^hel+o$' }         # one message: equals, contains, match, reject
//	    assert: result.type == "text"
//	  - expect: { nothing: true }            # no message within the timeout
//	    timeout: 500ms
//	  - expect: { closed: true }             # the peer closes: result.code, result.reason
//	  - close: true                          # a close frame, 1000 (normal closure)
//
// As a server: `listen: ws://127.0.0.1:0` (wss with tls: { cert, key } or
// { generate }), then `accept: true` on it takes a client's handshake,
// and send and expect work on the accepted connection as on a client's.
//
// A goroutine reads the connection from connect to close, so that pings
// are answered and a step timeout never breaks the connection: it holds
// one message at a time until an expect takes it, and messages larger than
// max_message end the connection. A peer that closes the WebSocket makes
// every later expect fail with its close code and reason, unless the
// expect asks for closed: true.
package ws

import (
	"github.com/netrunhq/netrun/engine"
)

// Plugin serves the ws and wss schemes.
type Plugin struct{}

// Schemes returns ws and wss.
func (Plugin) Schemes() []string { return []string{"ws", "wss"} }

var _ engine.VerbPlugin = Plugin{}

// Verbs returns what ws and wss take: connect, listen, accept, send and
// expect.
func (Plugin) Verbs() engine.VerbTable {
	return engine.VerbTable{Takes: []engine.Verb{
		{Name: "connect", Decode: decodeConnect},
		{Name: "listen", Decode: decodeListen},
		{Name: "accept", Decode: decodeAccept},
		{Name: "send", Decode: decodeSend},
		{Name: "expect", Decode: decodeExpect},
	}}
}
