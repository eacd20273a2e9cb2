package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
)

// JSONVersion is the version of the JSON report's shape. It changes only
// when a field is removed or changes meaning; new fields may be added within
// a version.
const JSONVersion = 1

type jsonReport struct {
	Version   int            `json:"version"`
	Shard     *JSONShard     `json:"shard,omitempty"`
	Exercises []string       `json:"exercises,omitempty"`
	Summary   jsonSummary    `json:"summary"`
	Scenarios []jsonScenario `json:"scenarios"`
}

type jsonSummary struct {
	Scenarios counts   `json:"scenarios"`
	Steps     counts   `json:"steps"`
	Score     *float64 `json:"score,omitempty"`
	MaxScore  *float64 `json:"max_score,omitempty"`
	Time      float64  `json:"time"`
}

type jsonScenario struct {
	Name        string          `json:"name"`
	File        string          `json:"file"`
	Description string          `json:"description,omitempty"`
	Tags        []string        `json:"tags,omitempty"`
	Status      engine.Status   `json:"status"`
	Start       string          `json:"start,omitempty"`
	DurationNS  int64           `json:"duration_ns"`
	Time        float64         `json:"time"`
	Interrupted bool            `json:"interrupted,omitempty"`
	Score       float64         `json:"score"`
	MaxScore    float64         `json:"max_score"`
	Failure     *engine.Failure `json:"failure,omitempty"`
	Steps       []jsonStep      `json:"steps"`
	Student     *JSONStudent    `json:"student,omitempty"`
	// Metrics are the scenario's metrics: (engine/metrics.go).
	Metrics []engine.MetricResult `json:"metrics,omitempty"`
}

type jsonStep struct {
	Index        int                     `json:"index"`
	Name         string                  `json:"name"`
	NameTemplate string                  `json:"name_template,omitempty"`
	Action       string                  `json:"action"`
	Scheme       string                  `json:"scheme,omitempty"`
	Finally      bool                    `json:"finally,omitempty"`
	Branch       string                  `json:"branch,omitempty"`
	Pos          engine.Pos              `json:"pos"`
	Status       engine.Status           `json:"status"`
	DurationNS   int64                   `json:"duration_ns"`
	Time         float64                 `json:"time"`
	Attempts     int                     `json:"attempts,omitempty"`
	Result       json.RawMessage         `json:"result,omitempty"`
	ResultError  string                  `json:"result_error,omitempty"`
	Failure      *engine.Failure         `json:"failure,omitempty"`
	Expected     string                  `json:"expected_failure,omitempty"`
	Hint         string                  `json:"hint,omitempty"`
	Points       float64                 `json:"points"`
	MaxPoints    float64                 `json:"max_points"`
	Visibility   string                  `json:"visibility,omitempty"`
	Transcript   []engine.TranscriptLine `json:"transcript,omitempty"`
}

// WriteJSON writes results as one JSON document, indented, of this shape
// (version 1):
//
//	{
//	  "version": 1,
//	  "shard"?: {"index", "total", "items", "set", "results"?}, // a sharded run (jsonmeta.go)
//	  "exercises"?: [name],      // netrun grade: the exercises, in order (jsonmeta.go)
//	  "summary": {
//	    "scenarios": {"total", "passed", "failed", "error", "skipped"},
//	    "steps":     {"total", "passed", "failed", "error", "skipped"},
//	    "score", "max_score",      // only when a scenario has points
//	    "time"                     // seconds the run spanned
//	  },
//	  "scenarios": [{
//	    "name", "file", "description"?, "tags"?,
//	    "status",                  // passed, failed, error, skipped
//	    "start"?,                  // RFC 3339 with nanoseconds
//	    "duration_ns", "time",     // the duration in nanoseconds and in seconds
//	    "interrupted"?, "score", "max_score",
//	    "failure"?,                // failure outside any step, as below
//	    "student"?: {"id", "exercise", "status"}, // netrun grade (jsonmeta.go)
//	    "metrics"?: [{"name", "help"?, "value"?, "error"?}], // the scenario's metrics:
//	    "steps": [{
//	      "index", "name", "name_template"?, // the name as written, when "name" shows values
//	      "action", "scheme"?, "finally"?,
//	      "branch"?,               // the parallel branch the step ran in
//	      "pos": {"file", "line", "col"},
//	      "status", "duration_ns", "time", "attempts"?,
//	      "result"?,               // the action's typed result
//	      "result_error"?,         // why result could not be written
//	      "failure"?: {"kind", "message", "expr"?,
//	                   "operands"?: [{"expr", "value"}], "received"?},
//	      "expected_failure"?,     // what a passing step with fails: saw
//	      "hint"?, "points", "max_points", "visibility"?,
//	      "transcript"?: [{"dir": ">" | "<" | "*", "text"}]
//	    }]
//	  }]
//	}
//
// A "?" marks a key left out when empty. Every string of the document, keys
// included, is redacted with red after marshalling, so that secrets in
// action results and in escaped forms are removed too.
func WriteJSON(w io.Writer, results []*engine.ScenarioResult, red *engine.Redactor) error {
	return WriteJSONMeta(w, results, red, JSONMeta{})
}

// WriteJSONMeta is WriteJSON with what a sharded run or a grading adds
// (jsonmeta.go).
func WriteJSONMeta(w io.Writer, results []*engine.ScenarioResult, red *engine.Redactor, meta JSONMeta) error {
	doc := jsonReport{Version: JSONVersion, Scenarios: []jsonScenario{}, Shard: meta.Shard, Exercises: meta.Exercises}
	doc.Summary.Scenarios, doc.Summary.Steps = tally(results)
	doc.Summary.Time = wallTime(results).Seconds()
	if score, max, ok := totalScore(results); ok {
		doc.Summary.Score, doc.Summary.MaxScore = &score, &max
	}
	for i, sc := range results {
		if sc != nil {
			j := jsonScenarioOf(sc)
			if i < len(meta.Students) {
				j.Student = meta.Students[i]
			}
			doc.Scenarios = append(doc.Scenarios, j)
		}
	}
	return writeRedactedJSON(w, doc, red, "json")
}

func jsonScenarioOf(sc *engine.ScenarioResult) jsonScenario {
	j := jsonScenario{
		Name: sc.Name, File: sc.File, Description: sc.Description, Tags: sc.Tags,
		Status: sc.Status, DurationNS: int64(sc.Duration), Time: sc.Duration.Seconds(),
		Interrupted: sc.Interrupted, Score: sc.Score, MaxScore: sc.MaxScore,
		Failure: sc.Failure, Steps: make([]jsonStep, 0, len(sc.Steps)), Metrics: sc.Metrics,
	}
	if !sc.Start.IsZero() {
		j.Start = sc.Start.Format(time.RFC3339Nano)
	}
	for i := range sc.Steps {
		st := &sc.Steps[i]
		s := jsonStep{
			Index: st.Index, Name: st.Name, NameTemplate: st.NameTemplate, Action: st.Action, Scheme: st.Scheme,
			Finally: st.Finally, Branch: st.Branch, Pos: st.Pos, Status: st.Status,
			DurationNS: int64(st.Duration), Time: st.Duration.Seconds(), Attempts: st.Attempts,
			Failure: st.Failure, Expected: st.ExpectedFailure, Hint: st.Hint, Points: st.Points, MaxPoints: st.MaxPoints,
			Visibility: st.Visibility, Transcript: st.Transcript,
		}
		if st.Result != nil {
			if r, err := json.Marshal(st.Result); err != nil {
				s.ResultError = err.Error()
			} else if string(r) != "null" {
				s.Result = r
			}
		}
		j.Steps = append(j.Steps, s)
	}
	return j
}

// redactJSON rewrites a JSON document with every string, keys included,
// passed through text. It works on decoded strings, so a secret is found
// whatever escapes the encoder chose, and the output stays valid JSON.
// Numbers, booleans and structure are kept as they are.
func redactJSON(data []byte, text func(string) string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		object bool
		n      int // tokens written inside: keys and values
	}
	var (
		out   bytes.Buffer
		stack []frame
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("redact: %w", err)
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			out.WriteByte(byte(d))
			continue
		}
		if len(stack) > 0 {
			top := &stack[len(stack)-1]
			switch {
			case top.object && top.n%2 == 1:
				out.WriteByte(':')
			case top.n > 0:
				out.WriteByte(',')
			}
			top.n++
		}
		switch v := tok.(type) {
		case json.Delim:
			out.WriteByte(byte(v))
			stack = append(stack, frame{object: v == '{'})
		case string:
			out.WriteString(jsonString(text(v)))
		case json.Number:
			// A secret may be a number (a PIN): then it is written "***".
			if red := text(v.String()); red != v.String() {
				out.WriteString(jsonString(red))
			} else {
				out.WriteString(v.String())
			}
		case bool:
			fmt.Fprint(&out, v)
		case nil:
			out.WriteString("null")
		}
	}
	return out.Bytes(), nil
}

// jsonString encodes s as a JSON string, leaving <, > and & as they are.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}
