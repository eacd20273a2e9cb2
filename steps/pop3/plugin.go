// Package pop3 is the plugin for pop3:// and pop3s:// URLs (RFC 1939, with
// CAPA and STLS of RFC 2449 and RFC 2595): read the maildrop, retrieve
// messages parsed as mails, and mark them deleted. It is written on
// lineproto, without a POP3 library.
//
//	steps:
//	  - connect: pop3://{{ pop3 }}    # port 110 unless given; pop3s:// 995
//	    starttls: true                # STLS; or tls_mode: none | starttls | implicit
//	    tls: { ca: '{{ sandbox("ca") }}' }
//	    auth: { user: alice, password: '{{ password }}' }   # USER and PASS; mechanism: plain for AUTH PLAIN
//	  - fetch: { message: last }      # or N, or all (fetch: last for short); top: N; delete: true; max_size: 25MiB
//	    assert: result.messages[0].subject == token
//	  - send: { command: STAT }       # writes the line, returns the reply
//	    assert: result.ok && result.text startsWith "1 "
//	  - send: { delete: 1 }           # DELE 1; -ERR fails the step
//	  - send: { line: NOOP }          # writes the line only
//	  - expect: +OK                   # reads the next reply: +OK, -ERR or { ok, text }
//	  - close: true                   # QUIT: the deletions take effect now
//
// Deleting: DELE (send: { delete: N }, fetch: { delete: true }) only marks
// a message. The server removes marked messages when the session ends with
// QUIT, which close sends (and the engine's closing at the end of a
// scenario). A session that breaks off without QUIT (a timeout, a reset)
// deletes nothing, and until QUIT other sessions still see the marked
// messages. fetch's result lists what it marked in `deleted`.
//
// fetch reads STAT (result.count, result.size) and LIST, then RETR (or TOP
// n lines) for each message asked for. Message numbers are LIST's: they
// are not renumbered when messages are marked, so "last" is the highest
// number listed. A message larger than max_size fails the step before it
// is read, by LIST's size, and while it is read.
//
// Replies are `{ ok, text, lines }`: ok is true for +OK, text is the rest
// of the status line, and lines are the lines of a multi-line reply,
// dot-unstuffed, without the final ".". A command's reply is read as
// multi-line when it is +OK and the command is CAPA, LIST or UIDL without
// an argument, RETR, or TOP.
//
// expect reads the next reply from the server, as in SMTP: send: { line }
// writes a command without reading its reply, for expect to read. The
// reply to a command written that way is read as multi-line by the rules
// above. Any other command fails while such a reply is unread.
package pop3

import (
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/netconn"
)

// Plugin serves the pop3 and pop3s schemes.
type Plugin struct{}

// Schemes returns pop3 and pop3s.
func (Plugin) Schemes() []string { return protocol().Schemes() }

var _ engine.VerbPlugin = Plugin{}

// Verbs returns what pop3 and pop3s take: connect, send, expect and fetch.
func (Plugin) Verbs() engine.VerbTable {
	return protocol().Verbs(parseMechanism, func(l *netconn.Login) engine.TypedAction { return &connectAction{Login: l} },
		engine.Verb{Name: "send", Decode: decodeSend}, engine.Verb{Name: "expect", Decode: decodeExpect}, engine.Verb{Name: "fetch", Decode: decodeFetch})
}

// protocol describes pop3:// and pop3s:// to netconn.
func protocol() netconn.Protocol {
	return netconn.Protocol{Plain: "pop3", Secure: "pop3s", PlainPort: 110, SecurePort: 995, StartTLS: "STLS"}
}
