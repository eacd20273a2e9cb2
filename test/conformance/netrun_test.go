package conformance_test

import (
	"context"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/sandbox"
	"github.com/netrunhq/netrun/steps/all"
)

// emptyPOP3 is netrun's own POP3 fetch on an empty maildrop: it failed on
// the empty line the sandbox sent before the dot of an empty LIST.
const emptyPOP3 = `name: netrun's POP3 fetch on an empty maildrop
steps:
  - connect: pop3://{{ sandbox("pop3") }}
    auth: { user: bob, password: secret }
    assert: result.count == 0
  - fetch: { message: all }
    assert: len(result.messages) == 0
  - fetch: { message: all, top: 0 }
    assert: len(result.messages) == 0
  - send: { command: UIDL }
    assert: result.ok
`

func TestNetrunPOP3FetchOnEmptyMaildrop(t *testing.T) {
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	sc, err := engine.LoadBytes("empty_pop3.yaml", []byte(emptyPOP3), reg, engine.LoadOptions{Services: sandbox.Names()})
	if err != nil {
		t.Fatal(err)
	}
	res := engine.Run(context.Background(), sc, engine.RunOptions{Sandbox: newSandbox(t)})
	for _, st := range res.Steps {
		if st.Failure != nil {
			t.Errorf("%s: %s", st.Name, st.Failure.Message)
		}
	}
	if res.Status != engine.Passed {
		t.Fatalf("status %s", res.Status)
	}
}
