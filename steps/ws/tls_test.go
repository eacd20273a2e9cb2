package ws_test

import (
	"crypto/tls"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/internal/certs"
	"github.com/netrunhq/netrun/internal/steptest"
)

func TestWSS(t *testing.T) {
	dir := t.TempDir()
	p := steptest.NewPKI(t, dir)
	ca, _ := p.CA("ca")
	other, _ := p.CA("other")
	good, _, _ := p.Pair(ca, "good", certs.Leaf{Hosts: []string{"localhost", "127.0.0.1"}})
	foreign, _, _ := p.Pair(other, "foreign", certs.Leaf{Hosts: []string{"localhost", "127.0.0.1"}})
	serverOf := func(c tls.Certificate) *tls.Config { return &tls.Config{Certificates: []tls.Certificate{c}} }

	good1 := newServer(t, serverOf(good))
	foreign1 := newServer(t, serverOf(foreign))
	plain := newServer(t, nil)
	res := harness(t).Run(dir, `
name: wss
steps:
  - connect: wss://GOOD/echo
    tls: { ca: ca.pem }
    assert:
      - result.tls.version == "1.3"
      - result.tls.cert.issuer == "CN=ca,O=netrun"
  - expect: { equals: hello }
  - expect: { nothing: true }
    timeout: 100ms
  - connect: wss://FOREIGN/echo
    tls: { ca: ca.pem }
    continue: true
  - connect: wss://FOREIGN/echo
    tls: { insecure: true }
  - expect: hello
  - connect: wss://PLAIN/echo
    tls: { ca: ca.pem }
`, "GOOD", good1, "FOREIGN", foreign1, "PLAIN", plain)
	steptest.Check(t, res, P, P, P, E, P, P, E)
	if tr := steptest.Transcript(res, 1); !strings.Contains(tr, "* TLS 1.3") {
		t.Errorf("transcript:\n%s", tr)
	}
	steptest.Failure(t, res, 4, "websocket handshake with wss://"+foreign1+"/echo: handshake with 127.0.0.1:", `tls: certificate signed by unknown authority (issuer "CN=other,O=netrun")`)
	steptest.Failure(t, res, 7, "did not answer with TLS")
}

func TestLoadErrors(t *testing.T) {
	errs := harness(t).LoadErrors(`name: errors
steps:
  - connect: ws://127.0.0.1:x
  - connect: ws://example.test/chat
    tls: { ca: ca.pem }
    max_message: huge
  - connect: wss://u@example.test
  - send: { text: a, hex: "00" }
  - send: { hex: "0g" }
  - send:
  - send: { line: x }
  - expect: { line: true, equals: x }
  - expect: { closed: true, equals: bye }
  - expect: { nothing: true, contains: x }
  - fetch: x
  - connect: ws://example.test
    subprotocol: [chat]
  - expect: {}
    assert: result.typ == "text"
  - connect: ws://example.test
    headers: { "Bad Name": x }
  - expect: { closed: true, partial: true }
`)
	want := []string{
		`3:14: bad URL "ws://127.0.0.1:x"`,
		"5:5: tls options need a wss:// URL; ws:// is plain text",
		`6:18: max_message: "huge" is not a size`,
		`7:14: URL "wss://u@example.test" has a user name`,
		"8:22: send has both text and hex: a message is one of text, hex, base64 or file",
		`9:18: hex: 'g' is not a hex digit`,
		"10:10: send needs a value",
		`11:13: unknown key "line"`,
		"12:15: wss expects one message at a time: line does not apply",
		"13:29: closed: true waits for the peer to close; check its code and reason with assert: result.code == 1000",
		"14:30: nothing: true waits for silence; it cannot go with contains",
		"15:12: wss has no fetch action: it takes connect, listen, accept, send and expect",
		`17:5: unknown key "subprotocol" (did you mean "subprotocols"?)`,
		"typ",
		`21:16: headers: "Bad Name" is not a valid header name`,
		"22:29: ws expects one message at a time: partial does not apply",
	}
	all := strings.Join(errs, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("missing error %q", w)
		}
	}
	if t.Failed() {
		t.Logf("errors:\n%s", all)
	}
}
