package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
)

// branchResult is a graded scenario with a parallel block whose branch
// steps (one a step with fails: that passed) follow it, and a secret in
// the failure a branch saw.
func branchResult() *engine.ScenarioResult {
	pos := engine.Pos{File: "p.yaml", Line: 3, Col: 5}
	return &engine.ScenarioResult{Name: "clients", File: "p.yaml", Status: engine.Failed, Start: time.Unix(0, 0),
		Score: 1, MaxScore: 4, Steps: []engine.StepResult{
			{Index: 1, Name: "two", Action: "parallel", Pos: pos, Status: engine.Failed, MaxPoints: 2,
				Failure: &engine.Failure{Kind: engine.Failed, Message: "1 of 2 branches failed: [b] tcp expect: nope"}},
			{Index: 2, Name: "two [a] tcp connect", Branch: "a", Action: "connect", Pos: pos, Status: engine.Passed,
				Points: 1, MaxPoints: 1, ExpectedFailure: "connection refused by HUNTER22"},
			{Index: 3, Name: "two [b] tcp expect", Branch: "b", Action: "expect", Pos: pos, Status: engine.Failed,
				MaxPoints: 1, Failure: &engine.Failure{Kind: engine.Failed, Message: "nope"}},
		}}
}

// TestBranchesInEveryFormat: each report lists the branch steps as
// steps, named by their branch, and shows the failure a fails: step saw,
// redacted.
func TestBranchesInEveryFormat(t *testing.T) {
	red := engine.NewRedactor()
	red.Add("HUNTER22")
	results := []*engine.ScenarioResult{branchResult()}
	writers := map[string]func(*bytes.Buffer) error{
		"json":         func(b *bytes.Buffer) error { return WriteJSON(b, results, red) },
		"junit":        func(b *bytes.Buffer) error { return WriteJUnit(b, results, red) },
		"tap":          func(b *bytes.Buffer) error { return WriteTAP(b, results, red) },
		"gradescope":   func(b *bytes.Buffer) error { return WriteGradescope(b, results, red) },
		"prairielearn": func(b *bytes.Buffer) error { return WritePrairieLearn(b, results, red) },
		"console": func(b *bytes.Buffer) error {
			(&Console{W: b, Redactor: red}).Report(results[0])
			return nil
		},
	}
	for name, write := range writers {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out := b.String()
		expected := "failed as expected: connection refused by"
		if name == "json" {
			expected = `"expected_failure": "connection refused by`
		}
		for _, want := range []string{"two [a] tcp connect", "two [b] tcp expect", expected} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: no %q in\n%s", name, want, out)
			}
		}
		if strings.Contains(out, "HUNTER22") {
			t.Errorf("%s shows the secret", name)
		}
		if schema := map[string]string{"gradescope": "gradescope.schema.json", "prairielearn": "prairielearn.schema.json"}[name]; schema != "" {
			validate(t, reportSchema(t, schema), b.Bytes())
		}
	}
}

// TestBranchesReadBack: the JSON report keeps branch and
// expected_failure through ReadJSON (netrun merge).
func TestBranchesReadBack(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, []*engine.ScenarioResult{branchResult()}, nil); err != nil {
		t.Fatal(err)
	}
	doc, err := ReadJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	st := doc.Results[0].Steps[1]
	if st.Branch != "a" || st.ExpectedFailure != "connection refused by HUNTER22" {
		t.Errorf("read back branch %q, expected failure %q", st.Branch, st.ExpectedFailure)
	}
}
