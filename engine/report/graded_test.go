package report

import (
	"bytes"
	"cmp"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/netrunhq/netrun/engine"
)

// gradedFixtures adds to fixtures a graded scenario of a program under
// test: a step with points that passed, one that failed with a hint and the
// program's traceback in its transcript, a hidden step, and a skipped one.
func gradedFixtures() []*engine.ScenarioResult {
	prog := &engine.ScenarioResult{
		Name: "udp_server", File: "scenarios/teaching/udp_server.yaml", Status: engine.Failed,
		Start: t0.Add(20 * time.Second), Duration: 900 * time.Millisecond, Score: 2, MaxScore: 7,
		Steps: []engine.StepResult{{
			Index: 1, Name: "spawn python3 -u {{ program }}", Action: "spawn", Scheme: "program", Status: engine.Passed,
			Pos: engine.Pos{File: "scenarios/teaching/udp_server.yaml", Line: 10, Col: 5}, Duration: 400 * time.Millisecond,
			Transcript: []engine.TranscriptLine{{Dir: "*", Text: "started python3 -u /subs/alice/udp_server.py, pid 4242"}},
		}, {
			Index: 2, Name: "first answer", Action: "expect", Scheme: "udp", Status: engine.Passed,
			Pos: engine.Pos{File: "scenarios/teaching/udp_server.yaml", Line: 15, Col: 5}, Points: 2, MaxPoints: 2,
		}, {
			Index: 3, Name: "second answer", Action: "expect", Scheme: "udp", Status: engine.Failed,
			Pos: engine.Pos{File: "scenarios/teaching/udp_server.yaml", Line: 19, Col: 5}, MaxPoints: 3,
			Duration: 2 * time.Second,
			Failure: &engine.Failure{Kind: engine.Failed,
				Message: "timed out after 2s waiting for a datagram equal to \"i love me\" (nothing received)\n" +
					"program \"server\" (python3 -u udp_server.py) exited with status 1 after 450ms; the end of its stderr:\n" +
					"    ValueError: token " + canary},
			Hint: "The server must answer every datagram, not only the first: keep recvfrom in a loop.",
			Transcript: []engine.TranscriptLine{
				{Dir: ">", Text: `"i love you"`},
				{Dir: "*", Text: `server stderr: "Traceback (most recent call last):\n"`},
				{Dir: "*", Text: `server stderr: "ValueError: token ` + canary + `\n"`},
			},
		}, {
			Index: 4, Name: "secret check", Action: "expect", Scheme: "udp", Status: engine.Failed,
			Pos: engine.Pos{File: "scenarios/teaching/udp_server.yaml", Line: 24, Col: 5}, MaxPoints: 1,
			Visibility: "hidden", Failure: &engine.Failure{Kind: engine.Failed, Message: "the hidden test's answer is 42"},
		}, {
			Index: 5, Name: "third answer", Action: "expect", Scheme: "udp", Status: engine.Skipped,
			Pos: engine.Pos{File: "scenarios/teaching/udp_server.yaml", Line: 28, Col: 5}, MaxPoints: 1,
			Visibility: "after_due_date", Failure: &engine.Failure{Kind: engine.Skipped, Message: "not run: an earlier step failed"},
		}},
	}
	return append(fixtures(), prog)
}

// reportSchema compiles one of the JSON Schemas in testdata.
func reportSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	if err := c.AddResource(name, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(name)
	if err != nil {
		t.Fatalf("%s does not compile: %v", name, err)
	}
	return sch
}

// validate checks out against the schema, and returns it decoded.
func validate(t *testing.T, sch *jsonschema.Schema, out []byte) map[string]any {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("does not validate: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// testsOf returns the tests of a decoded results.json by name.
func testsOf(t *testing.T, doc map[string]any) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	list, _ := doc["tests"].([]any)
	for _, x := range list {
		m := x.(map[string]any)
		out[m["name"].(string)] = m
	}
	return out
}

func TestGradescope(t *testing.T) {
	var b bytes.Buffer
	if err := WriteGradescope(&b, gradedFixtures(), redactor()); err != nil {
		t.Fatal(err)
	}
	out := b.Bytes()
	golden(t, "gradescope.golden.json", out)
	noSecrets(t, "gradescope", out)
	doc := validate(t, reportSchema(t, "gradescope.schema.json"), out)
	// Scores: Mail 1/5, Broken vars 0/1, weird 0/1, Deadline 0/1, Echo 1/1,
	// Not selected 0/0, udp_server 2/7.
	if doc["score"] != 4.0 || doc["extra_data"].(map[string]any)["max_score"] != 16.0 {
		t.Errorf("score %v of %v, want 4 of 16", doc["score"], doc["extra_data"])
	}
	tests := testsOf(t, doc)
	for _, tc := range []struct {
		name, status, visibility string
		score, max               float64
		output                   []string
	}{
		{"udp_server: first answer", "passed", "visible", 2, 2, nil},
		{"udp_server: second answer", "failed", "visible", 0, 3, []string{"timed out after 2s", "exited with status 1",
			"hint: The server must answer every datagram", "transcript:", `server stderr: "Traceback`}},
		{"udp_server: secret check", "failed", "hidden", 0, 1, []string{"the hidden test's answer is 42"}},
		{"udp_server: third answer", "failed", "after_due_date", 0, 1, []string{"not run: an earlier step failed"}},
		{"Echo", "passed", "visible", 1, 1, nil},
		{"Broken vars", "failed", "visible", 0, 1, []string{"vars: password: env NETRUN_PW is ***"}},
		{"Mail round trip: send mail", "failed", "visible", 0, 2, []string{"reply: 451", "hint: The server must accept mail from alice."}},
	} {
		got, ok := tests[tc.name]
		if !ok {
			t.Errorf("no test %q among %v", tc.name, keys(tests))
			continue
		}
		if got["status"] != tc.status || got["visibility"] != tc.visibility || got["score"] != tc.score || got["max_score"] != tc.max {
			t.Errorf("%s: %v", tc.name, got)
		}
		output, _ := got["output"].(string)
		for _, w := range tc.output {
			if !strings.Contains(output, w) {
				t.Errorf("%s: output %q does not contain %q", tc.name, output, w)
			}
		}
	}
	if _, ok := tests["udp_server: spawn python3 -u {{ program }}"]; ok {
		t.Error("a passed step without points is a test")
	}
}

func TestPrairieLearn(t *testing.T) {
	var b bytes.Buffer
	if err := WritePrairieLearn(&b, gradedFixtures(), redactor()); err != nil {
		t.Fatal(err)
	}
	out := b.Bytes()
	golden(t, "prairielearn.golden.json", out)
	noSecrets(t, "prairielearn", out)
	if len(out) > 1<<20 {
		t.Errorf("results.json is %d bytes, more than PrairieLearn's 1 MB", len(out))
	}
	doc := validate(t, reportSchema(t, "prairielearn.schema.json"), out)
	if doc["gradable"] != true || doc["score"] != 0.25 || doc["message"] != "score 4/16" {
		t.Errorf("gradable %v, score %v, message %v; want true, 0.25, score 4/16", doc["gradable"], doc["score"], doc["message"])
	}
	tests := testsOf(t, doc)
	hidden := tests["udp_server: secret check"]
	if hidden["message"] != hiddenDetails || hidden["output"] != "" || hidden["max_points"] != 1.0 {
		t.Errorf("hidden step shows %v", hidden)
	}
	failed := tests["udp_server: second answer"]
	if m, _ := failed["message"].(string); !strings.HasPrefix(m, "timed out after 2s") || !strings.Contains(m, "(hint: The server must answer") {
		t.Errorf("message %q", m)
	}
	if failed["description"] != "scenarios/teaching/udp_server.yaml:19:5" || failed["points"] != 0.0 || failed["max_points"] != 3.0 {
		t.Errorf("failed step %v", failed)
	}
}

// TestGradingReportsEmpty checks the reports of a run with no results and
// of a scenario with no points at all: both still validate.
func TestGradingReportsEmpty(t *testing.T) {
	for _, results := range [][]*engine.ScenarioResult{nil, {fixtures()[4]}} {
		var gs, pl bytes.Buffer
		if err := WriteGradescope(&gs, results, nil); err != nil {
			t.Fatal(err)
		}
		if err := WritePrairieLearn(&pl, results, nil); err != nil {
			t.Fatal(err)
		}
		validate(t, reportSchema(t, "gradescope.schema.json"), gs.Bytes())
		doc := validate(t, reportSchema(t, "prairielearn.schema.json"), pl.Bytes())
		want := 0.0
		if len(results) > 0 {
			want = 1
		}
		if doc["score"] != want {
			t.Errorf("score %v, want %v", doc["score"], want)
		}
	}
}

// TestGradingSchemasReject checks that the schemas are not vacuous: files
// that break the specifications are refused.
func TestGradingSchemasReject(t *testing.T) {
	gs, pl := reportSchema(t, "gradescope.schema.json"), reportSchema(t, "prairielearn.schema.json")
	for _, tc := range []struct {
		sch *jsonschema.Schema
		doc string
	}{
		{gs, `{"tests": [{"name": "x"}]}`},
		{gs, `{"score": 1, "tests": [{"score": 1, "status": "skipped"}]}`},
		{gs, `{"score": 1, "tests": [{"score": 1, "visibility": "students"}]}`},
		{gs, `{"score": 1, "max": 3}`},
		{pl, `{"gradable": true}`},
		{pl, `{"score": 1.5}`},
		{pl, `{"score": 1, "tests": [{"points": 1}]}`},
	} {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(tc.doc))
		if err != nil {
			t.Fatal(err)
		}
		if tc.sch.Validate(doc) == nil {
			t.Errorf("%s is accepted", tc.doc)
		}
	}
}

func keys(m map[string]map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestHiddenStepOfUngradedScenario checks that a scenario without points,
// graded as one visible test, does not show the details of a failed step
// that is hidden from students.
func TestHiddenStepOfUngradedScenario(t *testing.T) {
	sc := &engine.ScenarioResult{Name: "Quiz", File: "quiz.yaml", Status: engine.Failed, MaxScore: 1,
		Steps: []engine.StepResult{{Index: 1, Name: "secret check", Status: engine.Failed, Visibility: "hidden",
			Hint: "secret hint", Failure: &engine.Failure{Kind: engine.Failed, Message: "the answer is 42",
				Expr: "result == 42", Operands: []engine.Operand{{Expr: "result", Value: "41"}}},
			Transcript: []engine.TranscriptLine{{Dir: "<", Text: `"41"`}}}}}
	for name, write := range map[string]func(io.Writer, []*engine.ScenarioResult, *engine.Redactor) error{
		"gradescope": WriteGradescope, "prairielearn": WritePrairieLearn,
	} {
		var b bytes.Buffer
		if err := write(&b, []*engine.ScenarioResult{sc}, nil); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, leak := range []string{"42", "41", "secret hint"} {
			if strings.Contains(out, leak) {
				t.Errorf("%s shows %q of a hidden step:\n%s", name, leak, out)
			}
		}
		if !strings.Contains(out, "secret check: "+hiddenDetails) {
			t.Errorf("%s does not say the details are hidden:\n%s", name, out)
		}
	}
}

// TestPrairieLearnUngradable checks that a submission that could not be
// graded (no program; a program Python cannot compile, in its two common
// forms) is "gradable": false, with why, and valid; and that a program
// that merely failed, even with a traceback, is gradable.
func TestPrairieLearnUngradable(t *testing.T) {
	sc := &engine.Scenario{Name: "udp_server", File: "udp_server.yaml",
		Steps: []*engine.Step{{Index: 1, Name: "spawn", Points: 2}, {Index: 2, Name: "answer", Points: 3}}}
	syntax := func(lines ...string) *engine.ScenarioResult {
		return &engine.ScenarioResult{Name: "udp_server", File: "udp_server.yaml", Status: engine.Errored, MaxScore: 5,
			Steps: []engine.StepResult{{Index: 1, Name: "spawn", Status: engine.Errored, MaxPoints: 2,
				Failure: &engine.Failure{Kind: engine.Errored, Message: "program exited with status 1 before it was ready",
					Exceptions: []engine.Exception{{Program: "server", Stream: "stderr", Lines: lines}}}},
				{Index: 2, Name: "answer", Status: engine.Skipped, MaxPoints: 3}}}
	}
	crashed := syntax("Traceback (most recent call last):", `  File "s.py", line 3, in <module>`, "OSError: [Errno 98] Address already in use")
	// A program that earned points ran, whatever it printed afterwards.
	scored := syntax(`  File "/subs/bob/udp_server.py", line 1`, "SyntaxError: invalid syntax")
	scored.Score, scored.Steps[0].Status, scored.Steps[0].Points = 2, engine.Passed, 2
	for _, tc := range []struct {
		name   string
		result *engine.ScenarioResult
		why    string // "" when gradable
	}{
		{"no program", engine.NotRun(sc, "no udp_server.py or udp_server in subs/bob"), "no udp_server.py"},
		{"SyntaxError", syntax(`  File "/subs/bob/udp_server.py", line 1`, "    def f(:", "          ^", "SyntaxError: invalid syntax"),
			"does not compile: SyntaxError: invalid syntax"},
		{"IndentationError in the message", &engine.ScenarioResult{Name: "x", Status: engine.Errored, MaxScore: 1,
			Steps: []engine.StepResult{{Index: 1, Status: engine.Errored, MaxPoints: 1, Failure: &engine.Failure{Kind: engine.Errored,
				Message: "exited with status 1; stderr ends:\n  File \"/subs/bob/x.py\", line 3\n    print(1)\n    ^\nIndentationError: expected an indented block after 'if' statement on line 2"}}}},
			"IndentationError: expected an indented block"},
		{"crashed", crashed, ""},
		// A SyntaxError the running program raised (eval), or one it
		// wrote itself, is the program's own: it stays gradable.
		{"SyntaxError raised at run time", syntax("Traceback (most recent call last):", `  File "/subs/bob/udp_server.py", line 4, in <module>`,
			`    eval("1 +")`, `  File "<string>", line 1`, "SyntaxError: invalid syntax"), ""},
		{"SyntaxError written by the program", syntax("SyntaxError: nothing to see"), ""},
		{"SyntaxError after points were earned", scored, "score 2/5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WritePrairieLearn(&b, []*engine.ScenarioResult{tc.result}, nil); err != nil {
				t.Fatal(err)
			}
			doc := validate(t, reportSchema(t, "prairielearn.schema.json"), b.Bytes())
			msg, _ := doc["message"].(string)
			if tc.why == "" || strings.HasPrefix(tc.why, "score ") {
				want := cmp.Or(tc.why, "score 0/5")
				if doc["gradable"] != true || msg != want {
					t.Errorf("gradable %v, message %q; want true", doc["gradable"], msg)
				}
				return
			}
			if doc["gradable"] != false || !strings.Contains(msg, tc.why) || !strings.HasPrefix(msg, "the submission could not be graded: ") {
				t.Errorf("gradable %v, message %q; want false and %q", doc["gradable"], msg, tc.why)
			}
		})
	}
}

// TestGradescopeTagsAndVisibility checks the keys the specification has
// beyond the tests' scores: each test's tags, and the top-level visibility
// and stdout_visibility, which hides netrun's console when a test is
// hidden.
func TestGradescopeTagsAndVisibility(t *testing.T) {
	for _, tc := range []struct {
		results []*engine.ScenarioResult
		stdout  string
	}{{gradedFixtures(), "hidden"}, {fixtures()[:1], "visible"}} {
		var b bytes.Buffer
		if err := WriteGradescope(&b, tc.results, redactor()); err != nil {
			t.Fatal(err)
		}
		doc := validate(t, reportSchema(t, "gradescope.schema.json"), b.Bytes())
		if doc["visibility"] != "visible" || doc["stdout_visibility"] != tc.stdout {
			t.Errorf("visibility %v, stdout_visibility %v; want visible, %s", doc["visibility"], doc["stdout_visibility"], tc.stdout)
		}
		tests := testsOf(t, doc)
		mail := tests["Mail round trip: send mail"]
		if tags, _ := mail["tags"].([]any); len(tags) != 2 || tags[0] != "mail" || tags[1] != "smoke" {
			t.Errorf("tags %v, want [mail smoke]", mail["tags"])
		}
		if echo, ok := tests["Echo"]; ok && echo["tags"] != nil {
			t.Errorf("a scenario without tags gives tags %v", echo["tags"])
		}
	}
}
