package smtp_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

func TestAuthMechanisms(t *testing.T) {
	for _, tc := range []struct{ mechs, opts, want string }{
		{"LOGIN PLAIN CRAM-MD5", "user: alice, password: secret", "PLAIN"},
		{"LOGIN CRAM-MD5", "user: alice, password: secret", "LOGIN"},
		{"PLAIN LOGIN", "user: alice, password: secret, mechanism: login", "LOGIN"},
		{"PLAIN CRAM-MD5", "user: alice, password: secret, mechanism: CRAM-MD5", "CRAM-MD5"},
		{"PLAIN XOAUTH2", "user: alice, token: secret", "XOAUTH2"},
		{"PLAIN XOAUTH2", "user: alice, token: secret, mechanism: xoauth2", "XOAUTH2"},
	} {
		t.Run(tc.want+" of "+tc.mechs, func(t *testing.T) {
			f := &fake{Mechs: tc.mechs, Users: map[string]string{"alice": "secret"}}
			addr := f.start(t)
			res := harness(t).Run(t.TempDir(), `
name: auth
steps:
  - connect: smtp://ADDR
    auth: { OPTS }
    assert: result.auth == "WANT"
`, "ADDR", addr, "OPTS", tc.opts, "WANT", tc.want)
			steptest.Check(t, res, engine.Passed)
			if h := f.Heard(); len(h) < 2 || !strings.HasPrefix(h[1], "AUTH "+tc.want) {
				t.Errorf("server heard %q", h)
			}
		})
	}
}

// TestAuthSecretsNeverShown runs failed and successful logins with a canary
// password, given as a secret and given literally, and looks for the
// password and the base64 forms AUTH PLAIN and LOGIN send in everything
// the JSON report would hold: transcripts, failures, results.
func TestAuthSecretsNeverShown(t *testing.T) {
	const canary = "Canary-9f3b-Pa55"
	forms := []string{
		canary,
		base64.StdEncoding.EncodeToString([]byte(canary)),
		base64.StdEncoding.EncodeToString([]byte("\x00alice\x00" + canary)),
		base64.RawStdEncoding.EncodeToString([]byte("\x00alice\x00" + canary)),
		strings.TrimRight(base64.StdEncoding.EncodeToString([]byte("\x00alice\x00"+canary)), "="),
	}
	for _, mech := range []string{"plain", "login"} {
		for _, how := range []string{"secret", "literal"} {
			t.Run(mech+" "+how, func(t *testing.T) {
				for _, wrong := range []bool{true, false} {
					stored := canary
					if wrong {
						stored = "something else"
					}
					f := &fake{Mechs: "PLAIN LOGIN", Users: map[string]string{"alice": stored}, EchoAuth: true}
					addr := f.start(t)
					password := "'{{ password }}'"
					if how == "literal" {
						password = canary
					}
					res := harness(t).Run(t.TempDir(), `
name: canary
secrets:
  password: CANARY
steps:
  - connect: smtp://ADDR
    auth: { user: alice, password: PASSWORD, mechanism: MECH }
`, "ADDR", addr, "PASSWORD", password, "CANARY", canary, "MECH", mech)
					if wrong {
						steptest.Check(t, res, engine.Failed)
						steptest.Failure(t, res, 1, "AUTH "+strings.ToUpper(mech)+" as alice: refused: 535 5.7.8 Authentication failed for", engine.Redacted)
					} else {
						steptest.Check(t, res, engine.Passed)
					}
					out := rendered(t, res)
					for _, form := range forms {
						if strings.Contains(out, form) {
							t.Errorf("wrong password %v: the report shows %q:\n%s", wrong, form, out)
						}
					}
					if !strings.Contains(out, `"AUTH `+strings.ToUpper(mech)) {
						t.Errorf("the transcript has no AUTH line:\n%s", out)
					}
					var sent bool
					for _, h := range f.Heard() {
						sent = sent || strings.Contains(h, forms[1]) || strings.Contains(h, forms[2])
					}
					if !sent {
						t.Errorf("the server never got the password: %q", f.Heard())
					}
				}
			})
		}
	}
}

func TestAuthNotOffered(t *testing.T) {
	addr := (&fake{}).start(t)
	res := harness(t).Run(t.TempDir(), `
name: no auth
steps:
  - connect: smtp://ADDR
    auth: { user: alice, password: secret }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Failed)
	steptest.Failure(t, res, 1, "server does not offer AUTH (its EHLO reply lists PIPELINING, SIZE 1000000, 8BITMIME)",
		"many servers offer it only over TLS: try starttls: true")
}

func TestAuthMechanismNotOffered(t *testing.T) {
	addr := (&fake{Mechs: "PLAIN LOGIN"}).start(t)
	res := harness(t).Run(t.TempDir(), `
name: no cram
steps:
  - connect: smtp://ADDR
    auth: { user: alice, password: secret, mechanism: cram-md5 }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Failed)
	steptest.Failure(t, res, 1, "server does not offer AUTH CRAM-MD5 (it offers PLAIN LOGIN)")
}

func TestAuthWrongCRAMAndXOAuth2(t *testing.T) {
	for _, opts := range []string{"password: wrong, mechanism: cram-md5", "token: wrong"} {
		f := &fake{Mechs: "CRAM-MD5 XOAUTH2", Users: map[string]string{"alice": "secret"}}
		addr := f.start(t)
		res := harness(t).Run(t.TempDir(), `
name: bad credentials
steps:
  - connect: smtp://ADDR
    auth: { user: alice, OPTS }
`, "ADDR", addr, "OPTS", opts)
		steptest.Check(t, res, engine.Failed)
		steptest.Failure(t, res, 1, "refused: 535 5.7.8 Error: authentication failed")
		if out := rendered(t, res); strings.Contains(out, "wrong") {
			t.Errorf("the password or token shows:\n%s", out)
		}
	}
}

// TestAuthCRAMResponseNeverShown checks that the response to a CRAM-MD5
// challenge, which with the challenge allows guessing the password
// offline, shows nowhere: neither its base64 (what went on the wire) nor
// the HMAC in it.
func TestAuthCRAMResponseNeverShown(t *testing.T) {
	for _, stored := range []string{"Canary-9f3b-Pa55", "something else"} {
		f := &fake{Mechs: "CRAM-MD5", Users: map[string]string{"alice": stored}, EchoAuth: true}
		addr := f.start(t)
		res := harness(t).Run(t.TempDir(), `
name: cram
secrets:
  password: Canary-9f3b-Pa55
steps:
  - connect: smtp://ADDR
    auth: { user: alice, password: '{{ password }}', mechanism: cram-md5 }
`, "ADDR", addr)
		out := rendered(t, res)
		var resp string
		for _, h := range f.Heard() {
			if b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h)); err == nil && strings.HasPrefix(string(b), "alice ") {
				resp = strings.TrimSpace(h)
			}
		}
		if resp == "" {
			t.Fatalf("no CRAM-MD5 response heard: %q", f.Heard())
		}
		dec, _ := base64.StdEncoding.DecodeString(resp)
		digest := strings.TrimPrefix(string(dec), "alice ")
		for _, form := range []string{resp, digest, string(dec)} {
			if strings.Contains(out, form) {
				t.Errorf("password %q: the report shows %q:\n%s", stored, form, out)
			}
		}
	}
}
