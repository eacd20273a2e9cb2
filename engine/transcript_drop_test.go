package engine

import (
	"context"
	"strings"
	"testing"
)

// With DropPassedTranscripts a step that passes has no transcript, and one
// that fails keeps its own, redacted; without it every step keeps its.
func TestDropPassedTranscripts(t *testing.T) {
	sc := mustLoad(t, `name: x
secrets: { pw: HUNTER2XYZ }
steps:
  - connect: fake://a
  - send: hello
  - expect: { equals: HELLO }
  - send: 'pass {{ pw }}'
  - expect: { equals: nope }`)
	res := Run(context.Background(), sc, RunOptions{DropPassedTranscripts: true})
	sameStatuses(t, res, Passed, Passed, Passed, Passed, Failed)
	for i, st := range res.Steps[:4] {
		if len(st.Transcript) != 0 {
			t.Errorf("step %d passed and kept %v", i+1, st.Transcript)
		}
	}
	last := res.Steps[4].Transcript
	if len(last) == 0 || !strings.Contains(last[0].Text, Redacted) || strings.Contains(last[0].Text, "HUNTER2") {
		t.Errorf("the failed step's transcript: %v", last)
	}
	res = Run(context.Background(), sc, RunOptions{})
	if len(res.Steps[1].Transcript) == 0 || len(res.Steps[2].Transcript) == 0 {
		t.Errorf("transcripts dropped by default: %+v", res.Steps)
	}
}
