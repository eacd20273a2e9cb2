package smtp_test

import (
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// TestPlainModeOnTLSSchemeRefused checks that tls_mode none cannot turn an
// smtps:// connection into plain text, where AUTH would go in clear.
func TestPlainModeOnTLSSchemeRefused(t *testing.T) {
	res := harness(t).Run(t.TempDir(), `name: x
vars: { mode: none }
steps:
  - connect: smtps://127.0.0.1:1
    tls_mode: '{{ mode }}'
    auth: { user: alice, password: secret }
`)
	steptest.Check(t, res, engine.Errored)
	steptest.Failure(t, res, 1, "plain text")
}

// TestMailWithoutRecipientsFailsEarly checks that a mail whose recipients
// all evaluate to nothing fails before MAIL FROM, naming why.
func TestMailWithoutRecipientsFailsEarly(t *testing.T) {
	f := &fake{}
	addr := f.start(t)
	res := harness(t).Run(t.TempDir(), `name: x
vars: { nobody: '' }
steps:
  - connect: smtp://ADDR
  - send: { mail: { from: a@example.test, to: '{{ nobody }}', subject: s, text: t } }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Errored)
	steptest.Failure(t, res, 2, "no recipient")
	for _, cmd := range f.Heard() {
		if strings.HasPrefix(cmd, "MAIL") {
			t.Errorf("MAIL FROM was sent for a mail without recipients: %v", f.Heard())
		}
	}
}
