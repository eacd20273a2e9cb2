package merge

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/engine/report"
)

type reply struct {
	Code int    `expr:"code" json:"code"`
	Text string `expr:"text" json:"text"`
}

// results are a few scenarios with what every writer shows: points,
// hints, failures with operands and received data, hidden steps,
// transcripts, exceptions, typed step results.
func results(t *testing.T) []*engine.ScenarioResult {
	t.Helper()
	start := time.Date(2026, 12, 7, 20, 0, 0, 123456789, time.UTC)
	mk := func(file string, status engine.Status, score, max float64) *engine.ScenarioResult {
		return &engine.ScenarioResult{Name: strings.TrimSuffix(filepath.Base(file), ".yaml"), File: file,
			Description: "checks <&> \"quoted\"", Tags: []string{"mail"}, Status: status, Start: start,
			Duration: 1500 * time.Millisecond, Score: score, MaxScore: max}
	}
	a := mk("s/a.yaml", engine.Passed, 0, 0)
	a.Steps = []engine.StepResult{{Index: 1, Name: "connect 127.0.0.1", NameTemplate: "connect {{ host }}", Action: "connect",
		Scheme: "smtp", Pos: engine.Pos{File: "s/a.yaml", Line: 7, Col: 5}, Status: engine.Passed, Duration: time.Millisecond,
		Attempts: 1, Result: reply{220, "ready"}, Transcript: []engine.TranscriptLine{{Dir: "<", Text: "220 ready"}}}}
	b := mk("s/b.yaml", engine.Failed, 2, 5)
	b.Steps = []engine.StepResult{
		{Index: 1, Name: "send", Action: "send", Pos: engine.Pos{File: "s/b.yaml", Line: 3, Col: 5}, Status: engine.Passed, Points: 2, MaxPoints: 2},
		{Index: 2, Name: "reply", Action: "expect", Pos: engine.Pos{File: "s/b.yaml", Line: 9, Col: 5}, Status: engine.Failed,
			MaxPoints: 3, Hint: "read RFC 5321", Visibility: "after_due_date",
			Failure: &engine.Failure{Kind: engine.Failed, Message: "assertion failed: result.code == 250", Expr: "result.code == 250",
				Operands: []engine.Operand{{Expr: "result.code", Value: "554"}}, Received: `"554 no\r\n"`,
				Exceptions: []engine.Exception{{Program: "program", Stream: "stderr", Lines: []string{"Traceback", "ValueError: x"}}}},
			Transcript: []engine.TranscriptLine{{Dir: ">", Text: "DATA"}, {Dir: "<", Text: "554 no"}, {Dir: "*", Text: "note"}}},
		{Index: 3, Name: "quit", Action: "send", Finally: true, Status: engine.Skipped},
	}
	v := 0.25
	a.Metrics = []engine.MetricResult{{Name: "latency_seconds", Help: "h", Value: &v}, {Name: "gone", Error: "step x did not run"}}
	c := mk("s/c.yaml", engine.Errored, 0, 1)
	c.Interrupted = true
	c.Failure = &engine.Failure{Kind: engine.Errored, Message: "deadline passed"}
	return []*engine.ScenarioResult{a, b, c}
}

type writer func(io.Writer, []*engine.ScenarioResult, *engine.Redactor) error

// TestReadBackRebuildsEveryReport: the JSON report carries all that the
// other writers read: the reports written from it are byte for byte
// those written from the results.
func TestReadBackRebuildsEveryReport(t *testing.T) {
	rs := results(t)
	var js bytes.Buffer
	if err := report.WriteJSON(&js, rs, nil); err != nil {
		t.Fatal(err)
	}
	doc, err := report.ReadJSON(bytes.NewReader(js.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for name, w := range map[string]writer{"json": report.WriteJSON, "junit": report.WriteJUnit,
		"tap": report.WriteTAP, "gradescope": report.WriteGradescope, "prairielearn": report.WritePrairieLearn} {
		var want, got bytes.Buffer
		if err := w(&want, rs, nil); err != nil {
			t.Fatal(err)
		}
		if err := w(&got, doc.Results, nil); err != nil {
			t.Fatal(err)
		}
		if want.String() != got.String() {
			t.Errorf("%s from the read-back JSON differs:\n--- from results\n%s\n--- from JSON\n%s", name, want.String(), got.String())
		}
	}
}

// shardDoc writes rs as shard k/n of a run of items and reads it back.
func shardDoc(t *testing.T, path string, rs []*engine.ScenarioResult, k, n int, set []string) Input {
	t.Helper()
	var buf bytes.Buffer
	meta := report.JSONMeta{Shard: &report.JSONShard{Index: k, Total: n, Items: len(set), Set: report.SetDigest(set)}}
	if err := report.WriteJSONMeta(&buf, rs, nil, meta); err != nil {
		t.Fatal(err)
	}
	doc, err := report.ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return Input{Path: path, Doc: doc}
}

func TestMergeShards(t *testing.T) {
	rs := results(t)
	set := []string{"s/a.yaml", "s/b.yaml", "s/c.yaml"}
	s1 := shardDoc(t, "one.json", []*engine.ScenarioResult{rs[2]}, 1, 3, set)
	s2 := shardDoc(t, "two.json", []*engine.ScenarioResult{rs[0]}, 2, 3, set)
	s3 := shardDoc(t, "three.json", []*engine.ScenarioResult{rs[1]}, 3, 3, set)
	m, err := Merge([]Input{s3, s1, s2})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := m.Write(dir, engine.NewRedactor()); err != nil {
		t.Fatal(err)
	}
	// The merged reports are those of the unsharded results.
	for file, w := range map[string]writer{FileJSON: report.WriteJSON, FileJUnit: report.WriteJUnit,
		FileTAP: report.WriteTAP, FileGradescope: report.WriteGradescope} {
		var want bytes.Buffer
		if err := w(&want, rs, nil); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want.String() {
			t.Errorf("merged %s differs from the unsharded one:\n%s\n---\n%s", file, got, want.String())
		}
	}
	csv, _ := os.ReadFile(filepath.Join(dir, FileScores))
	if want := "file,scenario,score,max_score,status\ns/a.yaml,a,0,0,passed\ns/b.yaml,b,2,5,failed\ns/c.yaml,c,0,1,error\n"; string(csv) != want {
		t.Errorf("scores.csv:\n%s\nwant\n%s", csv, want)
	}

	for _, c := range []struct {
		name string
		in   []Input
		want string
	}{
		{"missing", []Input{s1, s3}, "shard 2/3 missing: 2 of the 3 shards given"},
		{"duplicated", []Input{s1, s2, s3, s2}, "shard 2/3 is given twice: two.json and two.json"},
		{"other split", []Input{s1, s2, shardDoc(t, "x.json", []*engine.ScenarioResult{rs[1]}, 2, 2, set)}, "x.json is shard 2/2: not the same split"},
		{"other run", []Input{s1, s2, shardDoc(t, "x.json", []*engine.ScenarioResult{rs[1]}, 3, 3, []string{"s/a.yaml", "s/b.yaml", "s/d.yaml"})}, "one.json and x.json are shards of different runs"},
		{"not a shard", []Input{s1, s2, s3, {Path: "plain.json", Doc: &report.JSONDoc{}}}, "one.json is shard 1/3 but plain.json is not a shard report"},
		{"scenario twice", []Input{s1, s2, shardDoc(t, "x.json", []*engine.ScenarioResult{rs[0]}, 3, 3, set)}, "scenario s/a.yaml is in both two.json and x.json"},
		{"lost results", []Input{s1, s2, shardDoc(t, "x.json", nil, 3, 3, set)}, "the 3 shards hold 2 results, but the run had 3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Merge(c.in)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Merge: %v, want %q", err, c.want)
			}
		})
	}
}

func TestMergeStudents(t *testing.T) {
	rs := results(t)
	stu := func(id, status string) *report.JSONStudent {
		return &report.JSONStudent{ID: id, Exercise: "smtp_plain", Status: status}
	}
	set := []string{"student:ann", "student:bob", "student:cy"}
	write := func(path string, r []*engine.ScenarioResult, s []*report.JSONStudent, k int) Input {
		var buf bytes.Buffer
		meta := report.JSONMeta{Students: s, Shard: &report.JSONShard{Index: k, Total: 2, Items: 3, Set: report.SetDigest(set)}}
		if err := report.WriteJSONMeta(&buf, r, nil, meta); err != nil {
			t.Fatal(err)
		}
		doc, err := report.ReadJSON(&buf)
		if err != nil {
			t.Fatal(err)
		}
		return Input{Path: path, Doc: doc}
	}
	in := []Input{
		write("1.json", []*engine.ScenarioResult{rs[1], rs[2]}, []*report.JSONStudent{stu("cy", "failed"), stu("ann", "missing")}, 1),
		write("2.json", []*engine.ScenarioResult{rs[0]}, []*report.JSONStudent{stu("bob", "passed")}, 2),
	}
	m, err := Merge(in)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := report.WriteScores(&buf, m.Results, m.Students); err != nil {
		t.Fatal(err)
	}
	want := "student,exercise,score,max_score,status\nann,smtp_plain,0,1,missing\nbob,smtp_plain,0,0,passed\ncy,smtp_plain,2,5,failed\n"
	if buf.String() != want {
		t.Fatalf("scores.csv:\n%s\nwant\n%s", buf.String(), want)
	}
}

// TestMergeExercises: a grading of two exercises in two shards holds a
// result per student and exercise (4, for 2 students); merged, they are
// in the order netrun grade lists them: by student, then in the
// exercises' own order (zeta before alpha), which the reports carry.
func TestMergeExercises(t *testing.T) {
	rs := results(t)
	exercises := []string{"zeta", "alpha"}
	set := []string{"student:ann", "student:bob", "exercise:zeta", "exercise:alpha"}
	shard := func(path string, k int, r []*engine.ScenarioResult, who []*report.JSONStudent, ex []string) Input {
		var buf bytes.Buffer
		meta := report.JSONMeta{Students: who, Exercises: ex,
			Shard: &report.JSONShard{Index: k, Total: 2, Items: 2, Results: 4, Set: report.SetDigest(set)}}
		if err := report.WriteJSONMeta(&buf, r, nil, meta); err != nil {
			t.Fatal(err)
		}
		doc, err := report.ReadJSON(&buf)
		if err != nil {
			t.Fatal(err)
		}
		return Input{Path: path, Doc: doc}
	}
	stu := func(id, ex, status string) *report.JSONStudent {
		return &report.JSONStudent{ID: id, Exercise: ex, Status: status}
	}
	bob := shard("1.json", 1, []*engine.ScenarioResult{rs[1], rs[2]},
		[]*report.JSONStudent{stu("bob", "zeta", "failed"), stu("bob", "alpha", "error")}, exercises)
	ann := shard("2.json", 2, []*engine.ScenarioResult{rs[0], rs[2]},
		[]*report.JSONStudent{stu("ann", "alpha", "passed"), stu("ann", "zeta", "error")}, exercises)
	m, err := Merge([]Input{bob, ann})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := m.Write(dir, engine.NewRedactor()); err != nil {
		t.Fatal(err)
	}
	csv, _ := os.ReadFile(filepath.Join(dir, FileScores))
	want := "student,exercise,score,max_score,status\nann,zeta,0,1,error\nann,alpha,0,0,passed\nbob,zeta,2,5,failed\nbob,alpha,0,1,error\n"
	if string(csv) != want {
		t.Errorf("scores.csv:\n%s\nwant\n%s", csv, want)
	}
	f, err := os.Open(filepath.Join(dir, FileJSON))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := report.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(doc.Exercises, ",") != "zeta,alpha" {
		t.Errorf("merged report.json: exercises %q, want zeta, alpha", doc.Exercises)
	}

	// A shard short of a result, or of another grading's exercises, is refused.
	short := shard("2.json", 2, []*engine.ScenarioResult{rs[0]}, []*report.JSONStudent{stu("ann", "alpha", "passed")}, exercises)
	if _, err := Merge([]Input{bob, short}); err == nil || !strings.Contains(err.Error(), "the 2 shards hold 3 results, but the run had 4") {
		t.Errorf("Merge, a result lost: %v", err)
	}
	other := shard("2.json", 2, []*engine.ScenarioResult{rs[0], rs[2]},
		[]*report.JSONStudent{stu("ann", "alpha", "passed"), stu("ann", "zeta", "error")}, []string{"alpha", "zeta"})
	if _, err := Merge([]Input{bob, other}); err == nil || !strings.Contains(err.Error(), "1.json and 2.json grade different exercises (zeta, alpha; alpha, zeta)") {
		t.Errorf("Merge, other exercises: %v", err)
	}
}

// TestReadRefusesInvalidReport: the report of a run whose files did not
// load is refused, naming the report, its shard and each invalid file's
// first problem, rather than read as a run with no results.
func TestReadRefusesInvalidReport(t *testing.T) {
	dir := t.TempDir()
	bad := report.NewInvalid("bad.yaml", engine.ErrorList{
		{Pos: engine.Pos{File: "bad.yaml", Line: 4, Col: 5}, Msg: `unknown key "tiemout"`},
		{Pos: engine.Pos{File: "bad.yaml", Line: 6, Col: 1}, Msg: "second"}})
	worse := report.NewInvalid("worse.yaml", engine.ErrorList{{Pos: engine.Pos{File: "worse.yaml", Line: 1, Col: 1}, Msg: "not YAML"}})
	write := func(name string, sh *report.JSONShard) string {
		var buf bytes.Buffer
		if err := report.WriteInvalidJSONShard(&buf, []report.Invalid{bad, worse}, sh); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p1 := write("p1.json", &report.JSONShard{Index: 1, Total: 2})
	_, err := Read([]string{p1})
	want := "merge: " + p1 + " (shard 1/2): the run did not start because files are invalid; fix them and run it again\n" +
		"  bad.yaml:4:5: unknown key \"tiemout\"\n  worse.yaml:1:1: not YAML"
	if err == nil || err.Error() != want {
		t.Errorf("Read:\n%v\nwant\n%s", err, want)
	}
	plain := write("plain.json", nil)
	if _, err := Read([]string{plain}); err == nil || !strings.HasPrefix(err.Error(), "merge: "+plain+": the run did not start") {
		t.Errorf("Read, unsharded: %v", err)
	}
	// "status": "invalid" alone still says so.
	bare := filepath.Join(dir, "bare.json")
	if err := os.WriteFile(bare, []byte(`{"version": 1, "status": "invalid", "scenarios": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read([]string{bare}); err == nil || !strings.Contains(err.Error(), "did not start") {
		t.Errorf("Read, bare status: %v", err)
	}
}
