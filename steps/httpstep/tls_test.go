package httpstep_test

import (
	"crypto/tls"
	"net/http"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/certs"
	"github.com/netrunhq/netrun/internal/steptest"
)

func TestHTTPS(t *testing.T) {
	dir := t.TempDir()
	p := steptest.NewPKI(t, dir)
	ca, _ := p.CA("ca")
	other, _ := p.CA("other")
	good, _, _ := p.Pair(ca, "good", certs.Leaf{Hosts: []string{"localhost", "127.0.0.1"}})
	named, _, _ := p.Pair(ca, "named", certs.Leaf{Hosts: []string{"www.example.test"}})
	foreign, _, _ := p.Pair(other, "foreign", certs.Leaf{Hosts: []string{"localhost", "127.0.0.1"}})
	serverOf := func(c tls.Certificate) *tls.Config { return &tls.Config{Certificates: []tls.Certificate{c}} }

	tests := []struct {
		name   string
		server *tls.Config
		steps  string
		want   []engine.Status
		msgs   []string // parts of the last step's failure
	}{
		{"verified", serverOf(good), `
  - connect: https://ADDR
    tls: { ca: ca.pem }
    assert:
      - result.tls.version == "1.3"
      - result.tls.cert.issuer == "CN=ca,O=netrun"
      - result.url == "https://ADDR"
  - fetch: /echo
    assert: [result.status == 200, result.url == "https://ADDR/echo"]`,
			[]engine.Status{P, P}, nil},
		{"unknown authority", serverOf(foreign), `
  - connect: https://ADDR
    tls: { ca: ca.pem }`,
			[]engine.Status{E}, []string{"handshake with 127.0.0.1:", `tls: certificate signed by unknown authority (issuer "CN=other,O=netrun")`}},
		{"system roots", serverOf(good), `
  - connect: https://ADDR`,
			[]engine.Status{E}, []string{"tls: certificate signed by unknown authority"}},
		{"name mismatch", serverOf(named), `
  - connect: https://ADDR
    tls: { ca: ca.pem }`,
			[]engine.Status{E}, []string{"tls: hostname mismatch: certificate is valid for www.example.test, not 127.0.0.1"}},
		{"sni", serverOf(named), `
  - connect: https://ADDR
    tls: { ca: ca.pem, sni: www.example.test }
  - fetch: /echo
    assert: result.json.host == "ADDR"`,
			[]engine.Status{P, P}, nil},
		{"insecure", serverOf(foreign), `
  - connect: https://ADDR
    tls: { insecure: true }
  - fetch: /status/204
    assert: result.status == 204`,
			[]engine.Status{P, P}, nil},
		{"plain text server", nil, `
  - connect: https://ADDR
    tls: { ca: ca.pem }`,
			[]engine.Status{E}, []string{"did not answer with TLS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.server)
			res := harness(t).Run(dir, "name: tls\nsteps:"+strings.ReplaceAll(tt.steps, "ADDR", srv.addr()))
			steptest.Check(t, res, tt.want...)
			if len(tt.msgs) > 0 {
				steptest.Failure(t, res, len(res.Steps), tt.msgs...)
			}
		})
	}
}

// TestRedirectToHTTPS follows a redirect from http:// to another server's
// https://, checked with the connection's tls options and that host's name.
func TestRedirectToHTTPS(t *testing.T) {
	dir := t.TempDir()
	tlsSrv := newServer(t, steptest.ServerTLS(t, dir))
	plain := newServer(t, nil)
	plain.Config.Handler = http.RedirectHandler("https://localhost:"+tlsSrv.URL[strings.LastIndex(tlsSrv.URL, ":")+1:]+"/echo", http.StatusMovedPermanently)
	res := harness(t).Run(dir, `
name: upgrade
steps:
  - connect: http://ADDR
    tls: { ca: ca.pem }
  - fetch: /
    assert: [result.status == 200, result.redirects == 1, result.url startsWith "https://localhost:", result.json.path == "/echo"]
`, "ADDR", plain.addr())
	steptest.Check(t, res, P, P)
	if tr := steptest.Transcript(res, 2); !strings.Contains(tr, "* TLS 1.3") {
		t.Errorf("transcript:\n%s", tr)
	}
}

// TestNoCredentialsDowngrade checks that a redirect from https to http is
// refused when the request carries credentials, which would go out in
// clear text.
func TestNoCredentialsDowngrade(t *testing.T) {
	dir := t.TempDir()
	plain := newServer(t, nil)
	tlsSrv := newServer(t, steptest.ServerTLS(t, dir))
	// The same host, so that Go's client would keep the Authorization header.
	plainPort := plain.addr()[strings.LastIndex(plain.addr(), ":")+1:]
	tlsSrv.Config.Handler = http.RedirectHandler("http://localhost:"+plainPort+"/echo", http.StatusFound)
	res := harness(t).Run(dir, `
name: downgrade
secrets: { pw: s3cret-down }
steps:
  - connect: https://localhost:PORT
    tls: { ca: ca.pem }
    auth: { user: alice, password: '{{ pw }}' }
  - fetch: /
`, "PORT", tlsSrv.URL[strings.LastIndex(tlsSrv.URL, ":")+1:])
	steptest.Check(t, res, P, engine.Errored)
	steptest.Failure(t, res, 2, "refused to follow a redirect from https to http://", "clear text")
}
