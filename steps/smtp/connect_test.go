package smtp_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/smtp"
)

// harness loads and runs scenarios with the smtp plugin (smtp and smtps).
func harness(t *testing.T) *steptest.Harness {
	t.Helper()
	return steptest.New(t, smtp.Plugin{})
}

// rendered is the scenario result as the JSON report would hold it.
func rendered(t *testing.T, res *engine.ScenarioResult) string {
	t.Helper()
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestConnectGreetingAndEHLO(t *testing.T) {
	f := &fake{Greeting: "220-fake.test ESMTP\n220 welcome"}
	addr := f.start(t)
	res := harness(t).Run(t.TempDir(), `
name: connect
steps:
  - connect: smtp://ADDR
    assert:
      - result.greeting.code == 220
      - result.greeting.lines == ["fake.test ESMTP", "welcome"]
      - result.greeting.text == "fake.test ESMTP\nwelcome"
      - result.capabilities == ["PIPELINING", "SIZE 1000000", "8BITMIME"]
      - '"8BITMIME" in result.capabilities'
      - result.auth == ""
      - result.tls == nil
      - result.remote == "ADDR"
      - result.duration > duration("0s")
  - close: true
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed)
	if got := res.Steps[0].Name; got != "smtp connect "+addr {
		t.Errorf("name %q", got)
	}
	heard := f.Heard()
	if len(heard) != 2 || heard[0] != "EHLO [127.0.0.1]" || heard[1] != "QUIT" {
		t.Errorf("server heard %q", heard)
	}
	if tr := steptest.Transcript(res, 1); !strings.Contains(tr, `> "EHLO [127.0.0.1]\r\n"`) || !strings.Contains(tr, `< "250-PIPELINING\r\n"`) {
		t.Errorf("transcript:\n%s", tr)
	}
}

func TestConnectEHLOName(t *testing.T) {
	f := &fake{}
	addr := f.start(t)
	res := harness(t).Run(t.TempDir(), `
name: ehlo
vars: { me: client.example.test }
steps:
  - connect: smtp://ADDR
    ehlo: '{{ me }}'
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed)
	if h := f.Heard(); h[0] != "EHLO client.example.test" {
		t.Errorf("server heard %q", h)
	}
}

func TestConnectHELOFallback(t *testing.T) {
	f := &fake{Replies: map[string]string{"EHLO": "502 5.5.2 what"}}
	addr := f.start(t)
	res := harness(t).Run(t.TempDir(), `
name: helo
steps:
  - connect: smtp://ADDR
    assert: result.capabilities == []
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed)
	if h := f.Heard(); len(h) < 2 || h[1] != "HELO [127.0.0.1]" {
		t.Errorf("server heard %q", h)
	}
}

func TestStartTLS(t *testing.T) {
	dir := t.TempDir()
	f := &fake{TLS: steptest.ServerTLS(t, dir), Mechs: "PLAIN", AuthOnlyTLS: true, Users: map[string]string{"alice": "secret"}}
	addr := f.start(t)
	res := harness(t).Run(dir, `
name: starttls
steps:
  - connect: smtp://ADDR
    starttls: true
    tls: { ca: ca.pem }
    auth: { user: alice, password: secret }
    assert:
      - result.tls.version == "1.3"
      - result.tls.cert.subject == "CN=localhost"
      - '"AUTH PLAIN" in result.capabilities'
      - not ("STARTTLS" in result.capabilities)
      - result.auth == "PLAIN"
  - send: { command: NOOP }
    assert: result.code == 250
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed)
	heard := f.Heard()
	if len(heard) < 4 || heard[0] != "EHLO [127.0.0.1]" || heard[1] != "STARTTLS" || heard[2] != "EHLO [127.0.0.1]" ||
		!strings.HasPrefix(heard[3], "AUTH PLAIN ") {
		t.Errorf("server heard %q", heard)
	}
}

func TestStartTLSByMode(t *testing.T) {
	dir := t.TempDir()
	f := &fake{TLS: steptest.ServerTLS(t, dir)}
	addr := f.start(t)
	res := harness(t).Run(dir, `
name: tls_mode
vars: { mode: starttls }
steps:
  - connect: smtp://ADDR
    tls_mode: '{{ mode }}'
    tls: { ca: ca.pem }
    assert: result.tls != nil
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed)
}

func TestStartTLSNotOffered(t *testing.T) {
	dir := t.TempDir()
	steptest.ServerTLS(t, dir)
	addr := (&fake{}).start(t)
	res := harness(t).Run(dir, `
name: no starttls
steps:
  - connect: smtp://ADDR
    starttls: true
    tls: { ca: ca.pem }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Failed)
	f := steptest.Failure(t, res, 1, "server does not offer STARTTLS (its EHLO reply lists PIPELINING, SIZE 1000000, 8BITMIME)")
	if !strings.Contains(f.Received, "250 8BITMIME") {
		t.Errorf("received %s", f.Received)
	}
}

func TestStartTLSInjection(t *testing.T) {
	dir := t.TempDir()
	addr := (&fake{TLS: steptest.ServerTLS(t, dir), AfterStartTLS: "250 injected\r\n"}).start(t)
	res := harness(t).Run(dir, `
name: injection
steps:
  - connect: smtp://ADDR
    starttls: true
    tls: { ca: ca.pem }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Failed)
	f := steptest.Failure(t, res, 1, "STARTTLS: the server sent 14 bytes in plain text after its reply", "possible command injection")
	if f.Received != `"250 injected\r\n"` {
		t.Errorf("received %s", f.Received)
	}
}

func TestImplicitTLS(t *testing.T) {
	dir := t.TempDir()
	cfg := steptest.ServerTLS(t, dir)
	addr := (&fake{TLS: cfg, Implicit: true}).start(t)
	addr2 := (&fake{TLS: cfg, Implicit: true}).start(t)
	res := harness(t).Run(dir, `
name: implicit
steps:
  - connect: smtps://ADDR
    tls: { ca: ca.pem, sni: localhost }
    assert:
      - result.tls.version == "1.3"
      - result.greeting.code == 220
  - connect: smtp://ADDR2
    tls_mode: implicit
    tls: { ca: ca.pem }
    assert: result.tls != nil
`, "ADDR2", addr2, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed)
}

func TestCloseSaysQuit(t *testing.T) {
	f := &fake{}
	addr := f.start(t)
	res := harness(t).Run(t.TempDir(), `
name: quit
steps:
  - connect: smtp://ADDR
    as: a
  - close: a
  - connect: smtp://ADDR
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed)
	if n := len(slices.DeleteFunc(f.Heard(), func(s string) bool { return s != "QUIT" })); n != 2 {
		t.Errorf("QUIT said %d times, want 2 (once by close, once at the end): %q", n, f.Heard())
	}
}

// TestConnectFailures covers a connect the server makes fail: each case
// names the step's status, words of its message and, where the received
// bytes matter, exactly what the report shows of them.
func TestConnectFailures(t *testing.T) {
	tests := []struct {
		name     string
		fake     func(t *testing.T, dir string) *fake
		scheme   string
		status   engine.Status
		msgs     []string
		received string
	}{
		{"greeting refused", func(*testing.T, string) *fake { return &fake{Greeting: "554 5.3.2 go away"} },
			"smtp", engine.Failed, []string{"the server's greeting is not 2xx: 554 5.3.2 go away"}, `"554 5.3.2 go away\r\n"`},
		{"EHLO temporary failure", func(*testing.T, string) *fake { return &fake{Replies: map[string]string{"EHLO": "421 4.3.2 busy"}} },
			"smtp", engine.Failed, []string{"EHLO refused: 421 4.3.2 busy"}, ""},
		{"implicit TLS, untrusted", func(t *testing.T, dir string) *fake { return &fake{TLS: steptest.ServerTLS(t, dir), Implicit: true} },
			"smtps", engine.Errored, []string{"certificate signed by unknown authority"}, ""},
		{"over-long reply line", func(*testing.T, string) *fake { return &fake{Raw: "220 " + strings.Repeat("x", 100<<10) + "\r\n"} },
			"smtp", engine.Failed, []string{"greeting: received a line longer than 64 KiB while waiting for a reply"}, ""},
		{"silent server", func(*testing.T, string) *fake { return &fake{Raw: " "} },
			"smtp", engine.Failed, []string{"greeting: timed out after", "waiting for a reply (received 1 byte without a line ending"}, `" "`},
		{"bare CR shown", func(*testing.T, string) *fake { return &fake{Raw: "220 ready\n\r"} },
			"smtp", engine.Failed, []string{"without a line ending"}, `"\r"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			addr := tt.fake(t, dir).start(t)
			res := harness(t).Run(dir, `
name: connect fails
steps:
  - connect: SCHEME://ADDR
    timeout: 300ms
`, "SCHEME", tt.scheme, "ADDR", addr)
			steptest.Check(t, res, tt.status)
			f := steptest.Failure(t, res, 1, tt.msgs...)
			if tt.received != "" && f.Received != tt.received {
				t.Errorf("received %s, want %s", f.Received, tt.received)
			}
		})
	}
}
