package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
)

// JSONMeta is what a JSON report records besides the results, so that
// `netrun merge` can rebuild every report of a run split in shards. Both
// parts are additions within version 1.
type JSONMeta struct {
	// Shard is set when the run was one shard of several.
	Shard *JSONShard
	// Students are the graded students, one per result, in order
	// (netrun grade).
	Students []*JSONStudent
	// Exercises are the names of the exercises of a grading, in the
	// order scores.csv lists them (netrun grade).
	Exercises []string
}

// JSONShard says which part of a sharded run a report is.
type JSONShard struct {
	// Index is K, from 1; Total is N.
	Index int `json:"index"`
	Total int `json:"total"`
	// Items is how many scenarios (or students) the whole run has, and
	// Set a digest of their sorted names: every shard of one run has the
	// same, so that reports of different runs are not merged.
	Items int    `json:"items"`
	Set   string `json:"set"`
	// Results is how many results the whole run has: Items, or for a
	// grading, students × exercises. Absent from older reports, where
	// it was Items.
	Results int `json:"results,omitempty"`
}

// WantResults is how many results the whole run of s has.
func (s *JSONShard) WantResults() int {
	if s.Results > 0 {
		return s.Results
	}
	return s.Items
}

// JSONStudent is the student a result grades, for scores.csv.
type JSONStudent struct {
	ID       string `json:"id"`
	Exercise string `json:"exercise"`
	// Status is the scores.csv status: passed, failed, error, missing
	// (no program) or interrupted.
	Status string `json:"status"`
}

// SetDigest is the Set of a shard of a run of these items (scenario files
// or student ids), in any order.
func SetDigest(names []string) string {
	s := append([]string(nil), names...)
	sort.Strings(s)
	sum := sha256.Sum256([]byte(strings.Join(s, "\x00")))
	return "sha256:" + hex.EncodeToString(sum[:12])
}

// JSONDoc is a JSON report read back: the results, as the writers take
// them, and what JSONMeta recorded.
type JSONDoc struct {
	Results []*engine.ScenarioResult
	JSONMeta
	// Invalid are the files that did not load when the report is that
	// of a run that did not start ("status": "invalid"); Results is then
	// empty.
	Invalid []Invalid
}

// ReadJSON reads a JSON report written by WriteJSON (version 1) back into
// results. Step results stay raw JSON. What was redacted stays redacted.
func ReadJSON(r io.Reader) (*JSONDoc, error) {
	var doc struct {
		jsonReport
		Status  string        `json:"status"`
		Invalid []jsonInvalid `json:"invalid"`
	}
	dec := json.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("read json report: %w", err)
	}
	if doc.Version != JSONVersion {
		return nil, fmt.Errorf("read json report: version %d, want %d", doc.Version, JSONVersion)
	}
	out := &JSONDoc{JSONMeta: JSONMeta{Shard: doc.Shard, Exercises: doc.Exercises}}
	if doc.Status == StatusInvalid || len(doc.Invalid) > 0 {
		out.Invalid = invalidOfJSON(doc.Invalid)
		if len(out.Invalid) == 0 {
			// "status": "invalid" without the list still says the
			// run did not start.
			out.Invalid = []Invalid{{}}
		}
	}
	for i := range doc.Scenarios {
		j := &doc.Scenarios[i]
		sc, err := scenarioOfJSON(j)
		if err != nil {
			return nil, fmt.Errorf("read json report: scenario %d (%s): %w", i+1, j.File, err)
		}
		out.Results = append(out.Results, sc)
		out.Students = append(out.Students, j.Student)
	}
	return out, nil
}

// invalidOfJSON is the invalid files of a JSON report read back.
func invalidOfJSON(list []jsonInvalid) []Invalid {
	var out []Invalid
	for _, ji := range list {
		f := Invalid{File: ji.File}
		for _, e := range ji.Errors {
			f.Errors = append(f.Errors, &engine.Error{Pos: engine.Pos{File: e.File, Line: e.Line, Col: e.Col}, Msg: e.Message})
		}
		out = append(out, f)
	}
	return out
}

func scenarioOfJSON(j *jsonScenario) (*engine.ScenarioResult, error) {
	sc := &engine.ScenarioResult{
		Name: j.Name, File: j.File, Description: j.Description, Tags: j.Tags,
		Status: j.Status, Duration: time.Duration(j.DurationNS), Failure: j.Failure,
		Interrupted: j.Interrupted, Score: j.Score, MaxScore: j.MaxScore,
		Steps: make([]engine.StepResult, 0, len(j.Steps)), Metrics: j.Metrics,
	}
	if j.Start != "" {
		t, err := time.Parse(time.RFC3339Nano, j.Start)
		if err != nil {
			return nil, fmt.Errorf("start: %w", err)
		}
		sc.Start = t
	}
	for _, s := range j.Steps {
		st := engine.StepResult{
			Index: s.Index, Name: s.Name, NameTemplate: s.NameTemplate, Action: s.Action, Scheme: s.Scheme,
			Finally: s.Finally, Branch: s.Branch, Pos: s.Pos, Status: s.Status, Duration: time.Duration(s.DurationNS),
			Attempts: s.Attempts, Failure: s.Failure, ExpectedFailure: s.Expected, Hint: s.Hint, Points: s.Points,
			MaxPoints: s.MaxPoints, Visibility: s.Visibility, Transcript: s.Transcript,
		}
		if len(s.Result) > 0 {
			st.Result = s.Result
		}
		sc.Steps = append(sc.Steps, st)
	}
	return sc, nil
}
