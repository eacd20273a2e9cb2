package smtp_test

import (
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
