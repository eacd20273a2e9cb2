// Package httpstep is the plugin for http:// and https:// URLs (it lives in
// steps/httpstep; it is named httpstep so that it does not hide net/http). A
// connect opens a client for a base URL; send and fetch make requests on it
// and return the response, its body capped and parsed as JSON when it is
// JSON.
//
//	steps:
//	  - connect: https://{{ host }}/api     # base URL; port 80 or 443 unless given
//	    tls: { ca: '{{ sandbox("ca") }}' }
//	    headers: { Accept: application/json } # sent with every request
//	    auth: { user: alice, password: '{{ password }}' }   # basic auth, redacted
//	    follow_redirects: true                # the default
//	    max_body: 1MiB                        # the default; longer bodies are cut
//	  - send:
//	      method: POST                        # default: POST with a body, else GET
//	      path: /sms                          # joined to the base URL's path
//	      form: { mobile: '13800138000', content: hi }
//	    assert: [result.status == 200, result.json.code == 2]
//	  - fetch: /json                          # GET; or { path, query, headers }
//
// As a scripted server: `listen: http://127.0.0.1:0` (https with tls:
// { cert, key } or { generate }); `accept: true` on it takes the next
// request (result: method, path, query, headers, form, body, json), and
// `send: { status, headers, body }` on what accept opened answers it.
//
// One connection per connect: the client keeps its TCP (and TLS)
// connections alive between steps, and keeps the cookies the server sets.
// The connection that connect made, to check the server and to learn its
// TLS facts, serves the first request. Every request, redirects and body
// included, is bounded by the step's timeout. HTTP/1.1 only; proxies from
// the environment are not used.
//
// The transcript shows the bytes on the wire (inside TLS): the request
// line, the headers and the body, then the response, at most 64 KiB each
// way per step (a listener's request and answer too), with a note of what
// was not shown, secrets redacted (the Authorization header of auth too).
package httpstep

import (
	"github.com/netrunhq/netrun/engine"
)

// Plugin serves the http and https schemes.
type Plugin struct{}

// Schemes returns http and https.
func (Plugin) Schemes() []string { return []string{"http", "https"} }

var _ engine.VerbPlugin = Plugin{}

// Verbs returns what http and https take: connect, listen, accept, send
// and fetch.
func (Plugin) Verbs() engine.VerbTable {
	return engine.VerbTable{Takes: []engine.Verb{
		{Name: "connect", Decode: decodeConnect},
		{Name: "listen", Decode: decodeListen},
		{Name: "accept", Decode: decodeAccept},
		{Name: "send", Decode: decodeSend},
		{Name: "fetch", Decode: decodeFetch},
	}}
}
