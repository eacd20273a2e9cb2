package smtp_test

import (
	"errors"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// backend is a go-smtp backend that keeps what it is given.
type backend struct {
	mu    sync.Mutex
	froms []string
	rcpts []string
	data  string
}

func (b *backend) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return &gsession{b: b}, nil }

type gsession struct {
	b    *backend
	user string
}

func (s *gsession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *gsession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "alice" || pass != "secret" {
			return &gosmtp.SMTPError{Code: 535, EnhancedCode: gosmtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		s.user = user
		return nil
	}), nil
}

func (s *gsession) Mail(from string, _ *gosmtp.MailOptions) error {
	if s.user == "" {
		return gosmtp.ErrAuthRequired
	}
	s.b.mu.Lock()
	s.b.froms = append(s.b.froms, from)
	s.b.mu.Unlock()
	return nil
}

func (s *gsession) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	if !strings.HasSuffix(to, "@example.test") {
		return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	s.b.mu.Lock()
	s.b.rcpts = append(s.b.rcpts, to)
	s.b.mu.Unlock()
	return nil
}

func (s *gsession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.b.mu.Lock()
	s.b.data = string(b)
	s.b.mu.Unlock()
	return err
}

func (s *gsession) Reset()        {}
func (s *gsession) Logout() error { return nil }

// startGoSMTP serves be on 127.0.0.1:0 with STARTTLS.
func startGoSMTP(t *testing.T, dir string, be *backend) string {
	t.Helper()
	srv := gosmtp.NewServer(be)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = false
	srv.TLSConfig = steptest.ServerTLS(t, dir)
	srv.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; err != nil && !errors.Is(err, gosmtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// TestAgainstGoSMTP runs a whole session against emersion/go-smtp, a real
// server implementation: STARTTLS, AUTH PLAIN (which it only offers over
// TLS), a mail, a refused recipient, expect and QUIT.
func TestAgainstGoSMTP(t *testing.T) {
	dir := t.TempDir()
	be := &backend{}
	addr := startGoSMTP(t, dir, be)
	res := harness(t).Run(dir, `
name: go-smtp
secrets: { password: secret }
steps:
  - connect: smtp://ADDR
    starttls: true
    tls: { ca: ca.pem }
    ehlo: client.example.test
    auth: { user: alice, password: '{{ password }}' }
    assert:
      - result.greeting.code == 220
      - result.auth == "PLAIN"
      - result.tls.version == "1.3"
  - send:
      mail:
        from: Alice <alice@example.test>
        to: [Bob <bob@example.test>]
        subject: Grüße aus netrun
        text: hello
        headers: { X-Netrun-Token: t-1 }
    assert:
      - map(result.replies, .code) == [250, 250, 354, 250]
      - result.reply.code == 250
  - send:
      mail: { from: alice@example.test, to: x@elsewhere.test, text: hello }
    continue: true
  - send: { line: NOOP }
  - expect: { code: 2xx }
  - send: { command: MAIL FROM:<a@example.test> }
  - send: { command: RSET }
    assert: result.code == 250
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Failed, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
	steptest.Failure(t, res, 3, "RCPT TO:<x@elsewhere.test> refused: 550 5.1.1 no such user")
	be.mu.Lock()
	defer be.mu.Unlock()
	if len(be.froms) != 3 || be.froms[0] != "alice@example.test" || len(be.rcpts) != 1 || be.rcpts[0] != "bob@example.test" {
		t.Errorf("envelope %q %q", be.froms, be.rcpts)
	}
	for _, want := range []string{"Subject: =?UTF-8?q?Gr=C3=BC=C3=9Fe_aus_netrun?=", "X-Netrun-Token: t-1", "hello"} {
		if !strings.Contains(be.data, want) {
			t.Errorf("message lacks %q:\n%s", want, be.data)
		}
	}
}

func TestAgainstGoSMTPWrongPassword(t *testing.T) {
	dir := t.TempDir()
	addr := startGoSMTP(t, dir, &backend{})
	res := harness(t).Run(dir, `
name: go-smtp wrong password
steps:
  - connect: smtp://ADDR
    starttls: true
    tls: { ca: ca.pem }
    auth: { user: alice, password: hunter2 }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Failed)
	steptest.Failure(t, res, 1, "AUTH PLAIN as alice: refused: 535 5.7.8 bad credentials")
	if out := rendered(t, res); strings.Contains(out, "hunter2") || strings.Contains(out, "aHVudGVyMg") {
		t.Errorf("the password shows:\n%s", out)
	}
}
