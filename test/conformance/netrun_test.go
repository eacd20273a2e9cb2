package conformance_test

import (
	"context"
	"os"
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

// emptyGroup is netrun's own NNTP overview of an empty group, on the
// sandbox and, when up, on INN: both must give no entries.
const emptyGroup = `name: netrun's NNTP overview of an empty group
vars:
  nntp: '{{ env("NETRUN_NNTP") ?? sandbox("nntp") }}'
steps:
  - connect: nntp://{{ nntp }}
  - fetch: { overview: { group: local.general, last: 10 } }
    assert: [len(result.entries) == 0, result.group.count == 0, result.group.name == "local.general"]
`

func TestNetrunNNTPOverviewOfEmptyGroup(t *testing.T) {
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	targets := []string{"sandbox"}
	if realServers(t, "nntp") {
		targets = append(targets, "INN")
	}
	for _, name := range targets {
		t.Run(name, func(t *testing.T) {
			if name == "sandbox" {
				// Unset, the scenario uses the sandbox; t.Setenv puts
				// the real server's address back after the test.
				t.Setenv("NETRUN_NNTP", "")
				os.Unsetenv("NETRUN_NNTP")
			}
			sc, err := engine.LoadBytes("empty_group.yaml", []byte(emptyGroup), reg, engine.LoadOptions{Services: sandbox.Names()})
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
		})
	}
}
