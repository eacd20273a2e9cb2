package exporter

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/sandbox"
	"github.com/netrunhq/netrun/steps/all"
)

// mailServer serves the shipped mail round trip (scenarios/) as module
// mail, its target the SMTP server, the rest from env.
func mailServer(t *testing.T, env map[string]string, vars string) (*httptest.Server, *sandbox.Sandbox) {
	t.Helper()
	scenario, err := filepath.Abs("../scenarios/mail_roundtrip.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("modules:\n  mail:\n    scenario: " + scenario + "\n    target_var: smtp\n    timeout: 50s\n    secret_env: [NETRUN_MAIL_PASSWORD]\n")
	b.WriteString("    vars: {" + vars + "}\n    env:\n")
	for k, v := range env {
		b.WriteString("      " + k + ": " + v + "\n")
	}
	p := filepath.Join(t.TempDir(), "exporter.yaml")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	password := os.Getenv("NETRUN_MAIL_PASSWORD")
	if password == "" {
		password = "secret"
	}
	cfg, err := LoadConfig(p, reg, sandbox.Names(), func(k string) (string, bool) {
		if k == "NETRUN_MAIL_PASSWORD" {
			return password, true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	sb := sandbox.New(sandbox.Options{})
	t.Cleanup(func() { sb.Close() })
	srv := httptest.NewServer(New(cfg, Options{Sandbox: sb}).Handler())
	t.Cleanup(srv.Close)
	return srv, sb
}

// checkMailProbe probes target and wants every leg to pass, each step
// labelled by its written name, and no password anywhere.
func checkMailProbe(t *testing.T, srv *httptest.Server, target, password string) {
	t.Helper()
	_, body := get(t, srv.URL+"/probe?module=mail&target="+target, map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "55"})
	for _, want := range []string{"netrun_probe_success 1\n", `step="sent"} 1`, `step="leg 2: wait for delivery"} 1`,
		`step="leg 3: read it over POP3"} 1`, `netrun_tls_cert_expiry_timestamp_seconds{index="1",step="connect to SMTP"}`} {
		if !strings.Contains(body, want) {
			t.Errorf("mail probe of %s lacks %q:\n%s", target, want, body)
		}
	}
	_, debug := get(t, srv.URL+"/probe?module=mail&debug=true&target="+target, nil)
	if !strings.Contains(debug, "AUTH") || strings.Contains(debug, "PASS "+password) || strings.Contains(debug, "LOGIN alice "+password) {
		t.Errorf("debug transcript: no AUTH, or the password shows:\n%s", debug)
	}
}

func TestMailModuleSandbox(t *testing.T) {
	// The sandbox's SMTP server as the target; IMAP and POP3 from the
	// scenario's defaults: the same sandbox, the exporter's.
	srv, sb := mailServer(t, map[string]string{}, "")
	addr, err := sb.Address(context.Background(), "smtp")
	if err != nil {
		t.Fatal(err)
	}
	checkMailProbe(t, srv, addr, "secret")
}

func TestMailModulePostfixDovecot(t *testing.T) {
	requireMail(t)
	srv, _ := mailServer(t, map[string]string{
		"NETRUN_SMTP_TLS": os.Getenv("NETRUN_SMTP_TLS"), "NETRUN_IMAP": os.Getenv("NETRUN_IMAP"),
		"NETRUN_POP3": os.Getenv("NETRUN_POP3"), "NETRUN_MAIL_USER": os.Getenv("NETRUN_MAIL_USER"),
		"NETRUN_MAIL_TO": os.Getenv("NETRUN_MAIL_TO"),
	}, "ca: "+os.Getenv("NETRUN_CA"))
	checkMailProbe(t, srv, os.Getenv("NETRUN_SMTP"), os.Getenv("NETRUN_MAIL_PASSWORD"))
}

// requireMail skips when the real mail servers are not up, unless CI is
// set: then their absence is a failure.
func requireMail(t *testing.T) {
	t.Helper()
	for _, k := range strings.Split(os.Getenv("NETRUN_REALSERVERS_UP"), ",") {
		if k == "mail" {
			return
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI is set but the real mail servers are not up: run test/realservers/mail-up.sh and export what it prints")
	}
	t.Skip("real mail servers not started (test/realservers/mail-up.sh); CI runs this test")
}
