package pop3_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/sandbox"
	"github.com/netrunhq/netrun/steps/pop3"
	"github.com/netrunhq/netrun/steps/smtp"
)

// TestSandboxPipelinedFetch: the sandbox's POP3 server lists PIPELINING;
// 150 mails, more than two windows of commands, are read (TOP 0) and
// deleted in order, and the next session finds the maildrop empty.
func TestSandboxPipelinedFetch(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	t.Cleanup(func() {
		if err := sb.Close(); err != nil {
			t.Errorf("sandbox close: %v", err)
		}
	})
	addr := map[string]string{}
	for _, name := range []string{"smtp", "pop3", "ca"} {
		a, err := sb.Address(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		addr[name] = a
	}
	const n = 150
	var src strings.Builder
	fmt.Fprintf(&src, `name: pipelined
steps:
  - connect: smtp://%s
    starttls: true
    tls: { ca: %q }
    auth: { user: alice, password: secret }
`, addr["smtp"], addr["ca"])
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&src, "  - send: { mail: { from: bob@example.test, to: alice@example.test, subject: 'mail %d', text: hello } }\n", i)
	}
	pop := fmt.Sprintf(`  - connect: pop3://%s
    starttls: true
    tls: { ca: %q }
    auth: { user: alice, password: secret }
    as: pop3
`, addr["pop3"], addr["ca"])
	fmt.Fprintf(&src, `%s  - fetch: { message: all, top: 0, delete: true }
    assert:
      - 'len(result.messages) == %d'
      - 'map(result.messages, .subject) == map(1..%d, "mail " + string(#))'
      - 'result.deleted == 1..%d'
  - close: pop3
%s    assert: result.count == 0
`, pop, n, n, n, pop)
	res := steptest.New(t, pop3.Plugin{}, smtp.Plugin{}).Run("", src.String())
	want := make([]engine.Status, 0, n+5)
	for range n + 5 {
		want = append(want, engine.Passed)
	}
	steptest.Check(t, res, want...)
	if tr := steptest.Transcript(res, n+3); !strings.Contains(tr, "> \"TOP 1 0\\r\\n\"\n> \"TOP 2 0\\r\\n\"") {
		t.Errorf("the TOP commands were not pipelined:\n%s", tr)
	}
}
