package tcp_test

import (
	"crypto/tls"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/certs"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/internal/netconn"
)

func TestTLSListenConnectMutual(t *testing.T) {
	dir := t.TempDir()
	p := steptest.NewPKI(t, dir)
	ca, _ := p.CA("ca")
	p.Pair(ca, "srv", certs.Leaf{Hosts: []string{"localhost"}})
	p.Pair(ca, "alice", certs.Leaf{Hosts: []string{"alice"}, Client: true})
	res := harness(t).Run(dir, `
name: mutual
steps:
  - listen: tls://127.0.0.1:0
    tls: { cert: srv.crt, key: srv.key, ca: ca.pem }
    as: srv
    id: l
  - connect: 'tls://127.0.0.1:{{ steps.l.port }}'
    tls: { ca: ca.pem, sni: localhost, cert: alice.crt, key: alice.key, min_version: "1.2" }
    as: cli
    assert:
      - result.tls.version == "1.3"
      - result.tls.cipher startsWith "TLS_"
      - result.tls.cert.subject == "CN=localhost"
      - result.tls.cert.issuer == "CN=ca,O=netrun"
      - result.tls.cert.sans == ["localhost"]
      - result.tls.cert.days_left >= 364
      - len(result.tls.cert.sha256) == 64
      - result.tls.cert.not_after > now()
  - accept: true
    on: srv
    as: peer
    assert: result.tls?.cert.subject == "CN=alice"
  - send: { line: over tls }
    on: cli
  - expect: { line: true, equals: over tls }
    on: peer
  - connect: 'tls://127.0.0.1:{{ steps.l.port }}'
    tls: { ca: ca.pem, sni: localhost }
    as: anonymous
  - accept: true
    on: srv
`)
	steptest.Check(t, res, P, P, P, P, P, P, E)
	// The name shows the port, the JSON report the template.
	if got, tmpl := res.Steps[1].Name, res.Steps[1].NameTemplate; !strings.HasPrefix(got, "tls connect 127.0.0.1:") ||
		strings.Contains(got, "{{") || tmpl != "tls connect 127.0.0.1:{{ steps.l.port }}" {
		t.Errorf("name %q, template %q", got, tmpl)
	}
	steptest.Failure(t, res, 7, "failed the handshake: tls: the client sent no certificate")
}

func TestTLSFailures(t *testing.T) {
	dir := t.TempDir()
	p := steptest.NewPKI(t, dir)
	ca, _ := p.CA("ca")
	other, _ := p.CA("other")
	good, _, _ := p.Pair(ca, "good", certs.Leaf{Hosts: []string{"localhost"}})
	foreign, _, _ := p.Pair(other, "foreign", certs.Leaf{Hosts: []string{"localhost"}})
	expired, _, _ := p.Pair(ca, "expired", certs.Leaf{Hosts: []string{"localhost"},
		NotBefore: time.Now().AddDate(-2, 0, 0), NotAfter: time.Now().AddDate(-1, 0, 0)})
	p.Pair(ca, "alice", certs.Leaf{Hosts: []string{"alice"}, Client: true})
	serverOf := func(c tls.Certificate) *tls.Config { return &tls.Config{Certificates: []tls.Certificate{c}} }
	mutual := serverOf(good)
	mutual.ClientCAs, mutual.ClientAuth = ca.Pool(), tls.RequireAndVerifyClientCert
	old := serverOf(good)
	old.MaxVersion = tls.VersionTLS12

	tests := []struct {
		name   string
		server *tls.Config
		acts   []steptest.Act
		steps  string
		want   []engine.Status
		msgs   []string // parts of the last step's failure
	}{
		{"unknown authority", serverOf(foreign), nil, `
  - connect: tls://ADDR
    tls: { ca: ca.pem, sni: localhost }`,
			[]engine.Status{E}, []string{"handshake with ", `tls: certificate signed by unknown authority (issuer "CN=other,O=netrun")`}},
		{"expired", serverOf(expired), nil, `
  - connect: tls://ADDR
    tls: { ca: ca.pem, sni: localhost }`,
			[]engine.Status{E}, []string{"tls: certificate expired (not after "}},
		{"hostname", serverOf(good), nil, `
  - connect: tls://ADDR
    tls: { ca: ca.pem }`,
			[]engine.Status{E}, []string{"tls: hostname mismatch: certificate is valid for localhost, not 127.0.0.1"}},
		{"insecure", serverOf(foreign), []steptest.Act{steptest.Say("hi\n"), steptest.ListenToEnd()}, `
  - connect: tls://ADDR
    tls: { insecure: true }
    assert: result.tls.cert.issuer == "CN=other,O=netrun"
  - expect: { line: true, equals: hi }`,
			[]engine.Status{P, P}, nil},
		{"min_version", old, nil, `
  - connect: tls://ADDR
    tls: { ca: ca.pem, sni: localhost, min_version: "1.3" }`,
			[]engine.Status{E}, []string{"does not support the TLS version we offer"}},
		{"old version allowed", old, []steptest.Act{steptest.ListenToEnd()}, `
  - connect: tls://ADDR
    tls: { ca: ca.pem, sni: localhost }
    assert: result.tls.version == "1.2"`,
			[]engine.Status{P}, nil},
		{"client certificate missing", mutual, nil, `
  - connect: tls://ADDR
    tls: { ca: ca.pem, sni: localhost }
  - expect: hello`,
			[]engine.Status{P, E}, []string{"the server requires a client certificate"}},
		{"client certificate given", mutual, []steptest.Act{steptest.Say("hello\n"), steptest.ListenToEnd()}, `
  - connect: tls://ADDR
    tls: { ca: ca.pem, sni: localhost, cert: alice.crt, key: alice.key }
  - expect: hello`,
			[]engine.Status{P, P}, nil},
		{"plain text server", nil, []steptest.Act{steptest.Say("220 plain\r\n"), steptest.ListenToEnd()}, `
  - connect: tls://ADDR
    tls: { ca: ca.pem }`,
			[]engine.Status{E}, []string{"did not answer with TLS"}},
		{"silent server", nil, []steptest.Act{steptest.ListenToEnd()}, `
  - connect: tls://ADDR
    tls: { ca: ca.pem }
    timeout: 200ms`,
			[]engine.Status{E}, []string{"tls handshake with 127.0.0.1:", "did not finish"}},
		{"ca file missing", serverOf(good), nil, `
  - connect: tls://ADDR
    tls: { ca: nope.pem }`,
			[]engine.Status{E}, []string{"tls ca: open ", "nope.pem: no such file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := steptest.Serve(t, tt.server, tt.acts...)
			res := harness(t).Run(dir, "name: tls\nsteps:"+tt.steps, "ADDR", addr)
			steptest.Check(t, res, tt.want...)
			if len(tt.msgs) > 0 {
				steptest.Failure(t, res, len(res.Steps), tt.msgs...)
			}
		})
	}
}

// TestTLSListenGenerate checks tls: { generate }: a certificate for the
// name asked, from a new CA whose file the result gives; one for another
// name from that same CA; one from another CA; the clients that verify
// accept the first only, and the files are gone after the run.
func TestTLSListenGenerate(t *testing.T) {
	res := harness(t).Run(t.TempDir(), `
name: generate
steps:
  - listen: tls://127.0.0.1:0
    tls: { generate: { name: server.test } }
    id: good
    assert: result.ca endsWith "ca.pem" && result.ca_key endsWith "ca-key.pem"
  - listen: tls://127.0.0.1:0
    tls: { generate: { name: other.test, ca: '{{ steps.good.ca }}', ca_key: '{{ steps.good.ca_key }}' } }
    id: wrongname
  - listen: tls://127.0.0.1:0
    tls: { generate: { name: server.test } }
    id: otherca
  - connect: 'tls://127.0.0.1:{{ steps.good.port }}'
    tls: { ca: '{{ steps.good.ca }}', sni: server.test }
    assert: result.tls.cert.sans == ["server.test"]
  - connect: 'tls://127.0.0.1:{{ steps.wrongname.port }}'
    tls: { ca: '{{ steps.good.ca }}', sni: server.test }
    continue: true
  - connect: 'tls://127.0.0.1:{{ steps.otherca.port }}'
    tls: { ca: '{{ steps.good.ca }}', sni: server.test }
    continue: true
  - connect: 'tls://127.0.0.1:{{ steps.wrongname.port }}'
    tls: { ca: '{{ steps.good.ca }}', sni: other.test }
`)
	steptest.Check(t, res, P, P, P, P, E, E, P)
	steptest.Failure(t, res, 5, "other.test")
	steptest.Failure(t, res, 6, "unknown authority")
	ca := res.Steps[0].Result.(netconn.ListenResult).CA
	if _, err := os.Stat(ca); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s is still there after the run: %v", ca, err)
	}
}

// TestTLSGenerateLoadErrors checks what generate refuses at load time.
func TestTLSGenerateLoadErrors(t *testing.T) {
	h := harness(t)
	for _, tc := range []struct{ src, want string }{
		{"listen: tls://127.0.0.1:0\n    tls: { generate: { ca: a.pem } }", "generate needs name"},
		{"listen: tls://127.0.0.1:0\n    tls: { generate: { name: x, ca: a.pem } }", "ca and ca_key together"},
		{"listen: tls://127.0.0.1:0\n    tls: { cert: a, key: b, generate: { name: x } }", "remove cert and key, or generate"},
		{"connect: tls://127.0.0.1:1\n    tls: { generate: { name: x } }", "generate is for listeners"},
	} {
		errs := strings.Join(h.LoadErrors("name: x\nsteps:\n  - "+tc.src+"\n"), "\n")
		if !strings.Contains(errs, tc.want) {
			t.Errorf("%s: errors %q lack %q", tc.src, errs, tc.want)
		}
	}
}

// TestTLSGenerateNameFails: a name whose template fails says why, and only
// an empty name says it is empty.
func TestTLSGenerateNameFails(t *testing.T) {
	res := harness(t).Run(t.TempDir(), `
name: generate name
vars: { empty: "" }
steps:
  - listen: tls://127.0.0.1:0
    tls: { generate: { name: '{{ string(int("x")) }}' } }
    continue: true
  - listen: tls://127.0.0.1:0
    tls: { generate: { name: '{{ empty }}' } }
`)
	steptest.Check(t, res, E, E)
	if f := steptest.Failure(t, res, 1, "tls generate name: ", "int"); strings.Contains(f.Message, "empty") {
		t.Errorf("a failed template is not an empty name: %q", f.Message)
	}
	steptest.Failure(t, res, 2, "tls generate name: it is empty")
}
