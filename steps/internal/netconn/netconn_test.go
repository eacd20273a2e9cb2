package netconn_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/internal/netconn"
)

// ftp is a protocol made up for the tests: ftp:// and ftps://.
func ftp() netconn.Protocol {
	return netconn.Protocol{Plain: "ftp", Secure: "ftps", PlainPort: 21, SecurePort: 990, StartTLS: "AUTH TLS"}
}

// plugin decodes connect steps of ftp with DecodeLogin.
type plugin struct{}

func (plugin) Schemes() []string { return []string{"ftp", "ftps"} }

func (plugin) Verbs() engine.VerbTable {
	return engine.VerbTable{Takes: []engine.Verb{{Name: "connect", Decode: func(d *engine.Decoder) (engine.TypedAction, error) {
		l, err := ftp().DecodeLogin(d, mechanism)
		return action{Login: l}, err
	}}}}
}

type action struct {
	engine.Returns[struct{}]
	*netconn.Login
}

func (action) Do(context.Context, *engine.Session) (any, error) { return struct{}{}, nil }

// mechanism reads user (the default) or plain.
func mechanism(v string) (string, error) {
	switch v {
	case "", "user":
		return "user", nil
	case "plain":
		return v, nil
	}
	return "", fmt.Errorf("auth mechanism %q: use user or plain", v)
}

func TestParseURL(t *testing.T) {
	for _, tc := range []struct{ raw, scheme, want string }{
		{"ftp://files.example.test", "ftp", "files.example.test:21"},
		{"ftps://files.example.test", "ftps", "files.example.test:990"},
		{"ftps://files.example.test:2121", "ftps", "files.example.test:2121"},
		{"ftp://[::1]", "ftp", "[::1]:21"},
	} {
		a, err := ftp().ParseURL(tc.raw, tc.scheme)
		if err != nil || a.String() != tc.want {
			t.Errorf("ParseURL(%q) = %v, %v; want %s", tc.raw, a, err, tc.want)
		}
	}
	if a, err := ftp().ParseURL("ftp://host:", "ftp"); err == nil {
		t.Errorf("ParseURL(ftp://host:) = %v, want an error", a)
	}
	// An error quotes the URL as written, without the default port.
	for raw, want := range map[string]string{
		"ftp://host/x":      `URL "ftp://host/x" has a path or query; expected ftp://host:port`,
		"ftp://bob@host":    `URL "ftp://bob@host" has a user name; ftp takes none`,
		" ftp://host:99999": `URL " ftp://host:99999": port "99999" must be a number from 1 to 65535`,
	} {
		if _, err := ftp().ParseURL(raw, "ftp"); err == nil || err.Error() != want {
			t.Errorf("ParseURL(%q): %v, want %s", raw, err, want)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	errs := steptest.New(t, plugin{}).LoadErrors(`name: errors
steps:
  - connect: ftp://127.0.0.1
    tls: { ca: ca.pem }
  - connect: ftps://127.0.0.1
    starttls: true
  - connect: ftp://127.0.0.1
    auth: { user: a, mechanism: digest }
  - connect: ftp://127.0.0.1:x
  - connect: ftp://127.0.0.1
    tls_mode: maybe
  - connect: ftp://127.0.0.1
    auth: { user: a, pasword: b }
`)
	want := []string{
		"test.yaml:4:5: tls options need starttls: true, tls_mode or an ftps:// URL; ftp:// is plain text",
		"test.yaml:6:5: starttls: ftps:// starts with TLS already; use ftp:// for AUTH TLS",
		"test.yaml:7:5: auth needs user and password",
		`test.yaml:8:33: auth mechanism "digest": use user or plain`,
		`test.yaml:9:14: bad URL "ftp://127.0.0.1:x"`,
		`test.yaml:11:15: tls_mode "maybe": use none, starttls or implicit`,
		`test.yaml:13:22: unknown key "pasword" (did you mean "password"?)`,
	}
	if len(errs) != len(want) {
		t.Fatalf("errors:\n%s", strings.Join(errs, "\n"))
	}
	for i, w := range want {
		if !strings.Contains(errs[i], w) {
			t.Errorf("error %d %q, want %q", i+1, errs[i], w)
		}
	}
}

func TestDefaultName(t *testing.T) {
	sc, err := steptest.New(t, plugin{}).Load("", "name: n\nsteps:\n  - connect: ftps://files.example.test\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := sc.Steps[0].Name; got != "ftps connect files.example.test" {
		t.Errorf("name %q", got)
	}
}
