package engine

import (
	"context"
	"testing"
)

func TestRunBasic(t *testing.T) {
	sc := mustLoad(t, `
name: basic
vars:
  host: example
  n: 3
secrets:
  pw: HUNTER22
steps:
  - connect: fake://{{ host }}
    id: c
    assert: result.data == "fake://example"
  - send: 'hi {{ n + 1 }}'
    save: { sent: result.data }
  - expect: { equals: HI 4 }
    assert:
      - result.count == 0
      - sent == "hi 4"
      - steps.c.data startsWith "fake"
  - send: '{{ pw }}'
  - expect: { equals: nope }
    hint: the hint {{ host }}
finally:
  - close: true
`)
	res := Run(context.Background(), sc, RunOptions{})
	if res.Status != Failed {
		t.Fatalf("status %s, want failed: %+v", res.Status, res)
	}
	want := []Status{Passed, Passed, Passed, Passed, Failed, Passed}
	for i, st := range res.Steps {
		t.Logf("%d %s %s %+v", i, st.Name, st.Status, st.Failure)
		if st.Status != want[i] {
			t.Errorf("step %d %q: %s, want %s", i, st.Name, st.Status, want[i])
		}
	}
	f := res.Steps[4].Failure
	if f.Received != `"***"` {
		t.Errorf("received %q, want redacted", f.Received)
	}
	if res.Steps[4].Hint != "the hint example" {
		t.Errorf("hint %q", res.Steps[4].Hint)
	}
}
