// Package ftp is the plugin for ftp:// and ftps:// URLs (RFC 959, with
// FEAT, EPSV, MLSD and AUTH TLS of RFC 2389, 2428, 3659 and 4217): log in,
// download files (streamed and hashed) and directory listings, upload,
// delete, rename, make and remove directories, and send raw commands. The
// transfers are github.com/jlaffaye/ftp's; netrun owns the connections
// under it.
//
//	steps:
//	  - connect: ftp://{{ ftp }}       # port 21 unless given; ftps:// 990, implicit TLS
//	    starttls: true                 # AUTH TLS; or tls_mode: none | starttls | implicit
//	    tls: { ca: '{{ sandbox("ca") }}' }
//	    auth: { user: alice, password: '{{ password }}' }   # anonymous without auth
//	  - send: { upload: { content: hello, to: hello.txt } }
//	  - fetch: { list: . }             # MLSD when offered, else LIST
//	  - fetch: { path: hello.txt, to: out/hello.txt }       # streamed to disk, sha256
//	  - fetch: hello.txt               # kept in memory (max_size, 16 MiB)
//	  - send: { rename: { from: hello.txt, to: bye.txt } }
//	  - send: { delete: bye.txt }      # also mkdir, rmdir
//	  - send: { command: CWD pub }     # a raw command; its reply is the result
//	  - close: true                    # QUIT
//
// Connections. netrun dials the control connection itself (netconn), reads
// the greeting and runs AUTH TLS, then hands the connection to the library
// through its dial function, which also opens every data connection. So
// the step's deadline (and Ctrl-C) bounds every read and write on both,
// the transcript is recorded above TLS, and the library's debug output,
// which would print the password, is never used. The password is a secret
// from the connect step on, so the PASS line shows as "PASS ***".
//
// Passive mode only: EPSV, and PASV when EPSV fails (the library's order;
// after one EPSV failure it asks PASV directly). Data connections go to the
// control connection's peer address only: the address a PASV reply names
// is replaced by it (the transcript notes when they differ), as behind NAT
// where servers name an address the client cannot reach, and a server
// cannot send netrun to a third host.
//
// TLS on data connections (PROT P) uses the control connection's
// configuration, whose session cache lets a server that requires TLS
// session reuse (vsftpd's require_ssl_reuse) see the session resumed.
package ftp

import (
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/netconn"
)

// Plugin serves the ftp and ftps schemes.
type Plugin struct{}

// Schemes returns ftp and ftps.
func (Plugin) Schemes() []string { return protocol().Schemes() }

var _ engine.VerbPlugin = Plugin{}

// Verbs returns what ftp and ftps take: connect, send, expect and fetch.
func (Plugin) Verbs() engine.VerbTable {
	return protocol().Verbs(parseMechanism, func(l *netconn.Login) engine.TypedAction { return &connectAction{Login: l} },
		engine.Verb{Name: "send", Decode: decodeSend}, engine.Verb{Name: "expect", Decode: decodeExpect}, engine.Verb{Name: "fetch", Decode: decodeFetch})
}

// protocol describes ftp:// and ftps:// to netconn.
func protocol() netconn.Protocol {
	return netconn.Protocol{Plain: "ftp", Secure: "ftps", PlainPort: 21, SecurePort: 990, StartTLS: "AUTH TLS"}
}

// verbOf returns the command word of line, upper case, for messages.
func verbOf(line string) string {
	w, _, _ := strings.Cut(strings.TrimSpace(line), " ")
	return strings.ToUpper(w)
}
