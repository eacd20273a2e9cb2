package imap_test

import (
	"context"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

func TestStartTLS(t *testing.T) {
	dir := t.TempDir()
	s := newServer(t, serverOptions{startTLS: steptest.ServerTLS(t, dir)})
	three(s)
	res := harness(t).Run(dir, `
name: starttls
steps:
  - connect: imap://ADDR
    starttls: true
    tls: { ca: ca.pem, sni: localhost }
    auth: { user: alice, password: secret }
    assert:
      - result.tls.version == "1.3"
      - result.tls.cert.subject == "CN=localhost"
      - '"STARTTLS" not in result.capabilities'
  - fetch: { limit: 1 }
    assert: result.messages[0].subject == "other"
`, "ADDR", s.addr)
	steptest.Check(t, res, engine.Passed, engine.Passed)
	tr := steptest.Transcript(res, 1)
	for _, want := range []string{"S2 STARTTLS", "TLS 1.3"} {
		if !strings.Contains(tr, want) {
			t.Errorf("the transcript lacks %q:\n%s", want, tr)
		}
	}
}

func TestStartTLSNotOffered(t *testing.T) {
	s := newServer(t, serverOptions{})
	res := harness(t).Run("", `
name: no starttls
steps:
  - connect: imap://ADDR
    tls_mode: starttls
    auth: { user: alice, password: secret }
`, "ADDR", s.addr)
	steptest.Check(t, res, engine.Errored)
	steptest.Failure(t, res, 1, "the server does not offer STARTTLS", "IMAP4rev1")
}

func TestImplicitTLS(t *testing.T) {
	dir := t.TempDir()
	s := newServer(t, serverOptions{implicit: steptest.ServerTLS(t, dir)})
	three(s)
	res := harness(t).Run(dir, `
name: imaps
steps:
  - connect: imaps://ADDR
    tls: { ca: ca.pem }
    auth: { user: alice, password: secret }
    assert: result.tls.cert.issuer == "CN=ca,O=netrun"
  - fetch: { search: { subject: hello } }
    assert: result.messages[0].uid == 1
`, "ADDR", s.addr)
	steptest.Check(t, res, engine.Passed, engine.Passed)
}

func TestImplicitTLSUntrusted(t *testing.T) {
	s := newServer(t, serverOptions{implicit: steptest.ServerTLS(t, t.TempDir())})
	dir := t.TempDir()
	steptest.ServerTLS(t, dir) // another CA
	res := harness(t).Run(dir, `
name: untrusted
steps:
  - connect: imaps://ADDR
    tls: { ca: ca.pem }
`, "ADDR", s.addr)
	steptest.Check(t, res, engine.Errored)
	steptest.Failure(t, res, 1, "handshake with")
}

func TestSilentServer(t *testing.T) {
	addr := stallServer(t, false)
	res := harness(t).Run("", `
name: silent
steps:
  - connect: imap://ADDR
    timeout: 300ms
`, "ADDR", addr)
	// Silence is a check that failed, as for every protocol (format.md).
	steptest.Check(t, res, engine.Failed)
	steptest.Failure(t, res, 1, "greeting: no reply from the server within 300ms")
}

func TestServerStallsUnderCommand(t *testing.T) {
	addr := stallServer(t, true)
	res := harness(t).Run("", `
name: stall
steps:
  - connect: imap://ADDR
    auth: { user: alice, password: secret }
    assert: result.capabilities == ["IMAP4rev1"]
  - fetch: INBOX
    timeout: 300ms
    continue: true
  - fetch: INBOX
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Failed, engine.Errored)
	steptest.Failure(t, res, 2, `EXAMINE "INBOX": no reply from the server within 300ms`)
	steptest.Failure(t, res, 3, "the IMAP connection to", "is closed: a step timed out")
}

func TestServerHangsUp(t *testing.T) {
	addr := stallServer(t, true)
	res := harness(t).Run("", `
name: hang up
steps:
  - connect: imap://ADDR
    auth: { user: alice, password: secret }
  - fetch: { mailbox: INBOX, delete: true }
    continue: true
  - send: { create: x }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Failed, engine.Errored)
	steptest.Failure(t, res, 2, `SELECT "INBOX": the server closed the connection without answering`)
	steptest.Failure(t, res, 3, "is closed: the server closed it")
}

func TestStallDuringStartTLS(t *testing.T) {
	addr := stallServer(t, false)
	res := harness(t).Run("", `
name: stall starttls
steps:
  - connect: imap://ADDR
    starttls: true
    timeout: 300ms
`, "ADDR", addr)
	steptest.Check(t, res, engine.Failed)
	steptest.Failure(t, res, 1, "starttls: greeting: no reply from the server within 300ms")
}

func TestInterruptUnderCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr := hookedServer(t, true, func(cmd string) {
		if cmd == "EXAMINE" {
			cancel()
		}
	})
	sc, err := harness(t).Load(t.TempDir(), `
name: interrupt
steps:
  - connect: imap://ADDR
    auth: { user: alice, password: secret }
  - fetch: INBOX
    timeout: 1h
`, "ADDR", addr)
	if err != nil {
		t.Fatal(err)
	}
	res := engine.Run(ctx, sc, engine.RunOptions{})
	steptest.Check(t, res, engine.Passed, engine.Errored)
	steptest.Failure(t, res, 2, `EXAMINE "INBOX": interrupted`)
}
