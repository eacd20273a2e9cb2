// Package nntp is the plugin for nntp:// and nntps:// URLs (RFC 3977, with
// STARTTLS of RFC 4642 and AUTHINFO USER/PASS of RFC 4643): read a group's
// articles and their overview, post articles, and talk to the server
// command by command. It is written on lineproto, without an NNTP library.
//
//	steps:
//	  - connect: nntp://{{ nntp }}     # port 119 unless given; nntps:// 563
//	    starttls: true                 # STARTTLS; or tls_mode: none | starttls | implicit
//	    tls: { ca: '{{ sandbox("ca") }}' }
//	    auth: { user: alice, password: '{{ password }}' }   # AUTHINFO USER and PASS
//	    assert: result.greeting.code == 200 || result.greeting.code == 201
//	  - fetch: { group: comp.lang.python, article: last }   # or N, or <message-id>
//	    assert: result.article.subject != ""
//	  - fetch: { overview: { group: comp.lang.python, last: 10 } }
//	    assert: len(result.entries) > 0
//	  - send: { post: { newsgroups: local.test, from: a@example.test, subject: hi, body: hello } }
//	    assert: result.reply.code == 240
//	  - send: { command: GROUP local.test }   # writes the line, returns the response
//	    assert: result.code == 211
//	  - send: { line: DATE }                  # writes the line only
//	  - expect: 111                           # reads the next response: 111, 1xx or { code, text }
//	  - close: true                           # QUIT
//
// connect reads the greeting (200: posting allowed, 201: not) and the
// capabilities (CAPABILITIES). A server that lists MODE-READER but not
// READER (INN when it takes us for a peer) is sent MODE READER, as RFC
// 3977 asks of a reader. The capabilities are asked for again after MODE
// READER, STARTTLS and AUTHINFO, since each may change them.
//
// A response is `{ code, enhanced, text, lines, data }`: code, text and
// lines ([text]) of its status line, as every line protocol gives them
// (enhanced is always empty: NNTP has none), and data, the lines of the
// data block that follows a multi-line response (LIST, ARTICLE, HEAD,
// BODY, OVER, HDR, LISTGROUP, HELP, CAPABILITIES...), dot-unstuffed,
// without their line ends and the final ".". Whether a response has a
// block follows from its code, and for 211 from the command (LISTGROUP
// has one, GROUP does not).
package nntp

import (
	"fmt"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/netconn"
)

// Plugin serves the nntp and nntps schemes.
type Plugin struct{}

// Schemes returns nntp and nntps.
func (Plugin) Schemes() []string { return protocol().Schemes() }

var _ engine.VerbPlugin = Plugin{}

// Verbs returns what nntp and nntps take: connect, send, expect and fetch.
func (Plugin) Verbs() engine.VerbTable {
	return protocol().Verbs(parseMechanism, func(l *netconn.Login) engine.TypedAction { return &connectAction{Login: l} },
		engine.Verb{Name: "send", Decode: decodeSend}, engine.Verb{Name: "expect", Decode: decodeExpect}, engine.Verb{Name: "fetch", Decode: decodeFetch})
}

// protocol describes nntp:// and nntps:// to netconn.
func protocol() netconn.Protocol {
	return netconn.Protocol{Plain: "nntp", Secure: "nntps", PlainPort: 119, SecurePort: 563, StartTLS: "STARTTLS"}
}

// mechUser is the one way to log in: AUTHINFO USER and AUTHINFO PASS.
const mechUser = "user"

// parseMechanism reads an auth mechanism; empty means user.
func parseMechanism(v string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", mechUser:
		return mechUser, nil
	}
	return "", fmt.Errorf("auth mechanism %q: NNTP takes user (AUTHINFO USER and PASS)", v)
}
