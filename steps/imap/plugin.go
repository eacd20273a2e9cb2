// Package imap is the plugin for imap:// and imaps:// URLs: log in to an
// IMAP server, find mail with a server-side search and read it, and change
// mailboxes. It uses go-imap v2's client.
//
//	steps:
//	  - connect: imap://{{ imap }}     # port 143 unless given; imaps:// 993
//	    starttls: true                 # or tls_mode: none | starttls | implicit
//	    tls: { ca: '{{ sandbox("ca") }}' }
//	    auth: { user: alice, password: '{{ password }}' }   # mechanism: login (default) | plain
//	  - fetch:                         # or fetch: MAILBOX for every message of it
//	      mailbox: INBOX               # the default
//	      search: { subject: '{{ token }}', header: { X-Netrun-Token: '{{ token }}' },
//	                from: alice, to: bob, text: hello, since: 10m, unseen: true }
//	      limit: 1                     # the newest N (highest UIDs)
//	      delete: true                 # or move: Archive
//	      max_size: 25MiB              # per message, the default
//	    retry: { until: len(result.messages) > 0, within: 60s }
//	  - send: { append: { mailbox: Drafts, mail: { from, to, subject, text }, flags: ['\Seen'] } }   # or raw: TEXT
//	  - send: { create: Archive }
//	  - send: { move: { mailbox: INBOX, uids: [3, 4], to: Archive } }
//	  - send: { delete: { mailbox: INBOX, uids: [3] } }   # remove messages
//	  - send: { delete: Archive }                         # delete a mailbox
//	  - send: { store: { mailbox: INBOX, uids: [3], add: ['\Flagged'] } }   # or remove, set
//	  - send: { command: 'UID SEARCH FLAGGED' }           # result: tag, status, ok, text, lines
//	  - close: true                                       # LOGOUT
//
// fetch runs UID SEARCH on the server and then UID FETCH BODY.PEEK[] of the
// messages found, so the whole mailbox is never downloaded and no message
// is marked \Seen. Without delete or move the mailbox is opened read-only
// (EXAMINE). Every search key given must hold; text matches as a
// case-insensitive substring, as the server does it. SEARCH SINCE compares
// dates only, so since: is sent as the day before, and the UIDs found are
// then kept by their INTERNALDATE (the time of arrival) to the second.
// result.count is how many messages matched, before limit; a message over
// max_size fails the step. delete stores \Deleted and runs UID EXPUNGE;
// a server without UIDPLUS gets EXPUNGE, which removes every message
// marked \Deleted in the mailbox (the transcript says so). move uses MOVE,
// or COPY, \Deleted and EXPUNGE where MOVE is not offered.
//
// fetch's messages carry their flags. send: { store } changes flags with
// UID STORE (silent) and reads them back with UID FETCH FLAGS. send: {
// command } writes one line with a tag of netrun's own and reads the
// responses up to the tagged one itself: the library's reader is parked
// meanwhile (a read deadline in the past wakes it from its read, and it
// first reads to its end a response it is in the middle of), and what
// netrun read past the tagged response is handed back to it.
//
// send: { delete } removes the messages given by uids when the key uids is
// there, even an empty list (which removes nothing); without uids, or as
// delete: NAME, it deletes the mailbox itself. A mailbox that does not
// exist fails the step with the server's answer.
//
// The step timeout bounds every command: the client's own fixed timeouts
// are replaced by the step's deadline. A step that times out under a
// command leaves the connection unusable (the reply it waited for is lost);
// later steps on it fail at once and say so.
//
// STARTTLS is done by this package before the client takes over, so that a
// server that does not list STARTTLS fails the step with its capabilities,
// data sent before the TLS handshake is refused, and the transcript shows
// the dialogue in plain text.
package imap

import (
	"fmt"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/netconn"
)

// Plugin serves the imap and imaps schemes.
type Plugin struct{}

// Schemes returns imap and imaps.
func (Plugin) Schemes() []string { return protocol().Schemes() }

var _ engine.VerbPlugin = Plugin{}

// Verbs returns what imap and imaps take: connect, fetch and send.
func (Plugin) Verbs() engine.VerbTable {
	return protocol().Verbs(parseMechanism, func(l *netconn.Login) engine.TypedAction { return &connectAction{Login: l} },
		engine.Verb{Name: "fetch", Help: "(search and read mail)", Decode: decodeFetch},
		engine.Verb{Name: "send", Help: "(append, create, delete, move, store, command)", Decode: decodeSend})
}

// protocol describes imap:// and imaps:// to netconn.
func protocol() netconn.Protocol {
	return netconn.Protocol{Plain: "imap", Secure: "imaps", PlainPort: 143, SecurePort: 993, StartTLS: "STARTTLS"}
}

// Authentication mechanisms.
const (
	mechLogin = "login"
	mechPlain = "plain"
)

// parseMechanism reads an auth mechanism of connect (which takes the URL
// and tls, starttls or tls_mode, and auth, which logs in with LOGIN, or
// AUTHENTICATE PLAIN, after the greeting and after STARTTLS); empty means
// login.
func parseMechanism(v string) (string, error) {
	switch m := strings.ToLower(strings.TrimSpace(v)); m {
	case "", mechLogin:
		return mechLogin, nil
	case mechPlain:
		return mechPlain, nil
	}
	return "", fmt.Errorf("auth mechanism %q: IMAP takes login (the LOGIN command) or plain (AUTHENTICATE PLAIN)", v)
}
