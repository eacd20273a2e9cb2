package smtp_test

import (
	"strings"
	"testing"
)

func TestLoadErrors(t *testing.T) {
	all := strings.Join(harness(t).LoadErrors(`name: errors
steps:
  - connect: smtp://127.0.0.1:x
  - connect: smtp://127.0.0.1
    tls: { ca: ca.pem }
  - connect: smtps://127.0.0.1
    starttls: true
    tls_mode: bogus
    ehlo: ""
  - connect: smtp://127.0.0.1
    auth: { password: x, mechanism: digest-md5 }
  - connect: smtp://127.0.0.1
    auth: { user: a, password: x, mechanism: xoauth2 }
  - connect: smtp://127.0.0.1
    auth: { user: a, token: t, mechanism: login }
  - connect: smtp://127.0.0.1
    auth: { user: a }
  - send: EHLO x
  - send: { command: NOOP, line: NOOP }
  - send: { mail: { subject: x } }
  - send: { mail: { from: a@b, to: c@d, attachments: [{ name: x }], headers: { "Bad Name": x } } }
  - expect: 2x0
  - expect:
  - expect: { code: 250, txt: x }
  - expect: { text: "(" }
  - fetch: x
  - listen: smtp://127.0.0.1:0
  - connect: smtp://127.0.0.1
    auht: {}
  - send: { command: NOOP }
    assert: result.cod == 250
  - send: { mail: { from: a@b, to: c@d } }
    assert: result.replys == []
`), "\n")
	want := []string{
		`3:14: bad URL "smtp://127.0.0.1:x"`,
		"5:5: tls options need starttls: true, tls_mode or an smtps:// URL",
		"7:5: starttls: smtps:// starts with TLS already",
		`8:15: tls_mode "bogus": use none, starttls or implicit`,
		"9:11: ehlo needs a name",
		"11:11: auth needs user",
		`11:26: mechanism "digest-md5": use plain, login, cram-md5 or xoauth2`,
		"13:35: xoauth2 needs token",
		"15:22: token goes with mechanism: xoauth2",
		"17:11: auth needs password (or token, for xoauth2)",
		"18:11: smtp send takes { command: TEXT }, { line: TEXT } or { mail:",
		"19:28: send has both command and line",
		"20:13: mail needs from",
		"20:13: mail needs a recipient: to, cc or bcc",
		"21:13: attachment 1 needs file",
		`21:92: header name "Bad Name"`,
		`22:13: reply code "2x0": use three digits such as 250, or a class such as 2xx or 25x`,
		"23:12: expect needs a reply code",
		`24:26: unknown key "txt" (did you mean "text"?)`,
		"bad regular expression",
		"26:12: smtp has no fetch action: it takes connect, send and expect",
		"27:13: smtp has no listen action",
		`29:5: unknown key "auht"`,
		"cod",
		"replys",
	}
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("missing error %q", w)
		}
	}
	if t.Failed() {
		t.Logf("errors:\n%s", all)
	}
}

func TestLoadWithoutPort(t *testing.T) {
	for _, scheme := range []string{"smtp", "smtps"} {
		sc, err := harness(t).Load(t.TempDir(), "name: ports\nsteps:\n  - connect: "+scheme+"://mail.example.test\n")
		if err != nil {
			t.Fatalf("%s: %v", scheme, err)
		}
		if got := sc.Steps[0].Name; got != scheme+" connect mail.example.test" {
			t.Errorf("name %q", got)
		}
	}
}
