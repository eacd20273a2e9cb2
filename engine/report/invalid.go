package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/netrunhq/netrun/engine"
)

// Invalid is a scenario file that did not load, with every problem found
// in it, each positioned (file:line:col).
type Invalid struct {
	File   string
	Errors engine.ErrorList
}

// NewInvalid makes the Invalid of file from the loader's error (an
// engine.ErrorList, or any error, which is then placed at the file).
func NewInvalid(file string, err error) Invalid {
	var list engine.ErrorList
	if !errors.As(err, &list) {
		list = engine.ErrorList{{Pos: engine.Pos{File: file}, Msg: err.Error()}}
	}
	return Invalid{File: file, Errors: list}
}

// WriteInvalidJUnit writes the JUnit report of a run that did not start
// because files are invalid: a testsuite per invalid file holding one
// testcase, "invalid scenario", with an <error> whose message is the first
// problem and whose body lists every problem, one file:line:col: message a
// line. A CI parser then shows why nothing ran.
func WriteInvalidJUnit(w io.Writer, files []Invalid, fl JUnitFlavor) error {
	doc := junitSuites{Name: "netrun", junitCounts: junitCounts{Time: "0"}}
	for _, f := range files {
		name := xmlClean(f.File)
		c := junitCase{Name: "invalid scenario", Classname: name, File: name, Time: "0",
			Error: &junitProblem{Type: "invalid scenario", Message: xmlClean(invalidMessage(f)),
				Body: xmlClean(f.Errors.Error())}}
		if len(f.Errors) > 0 && f.Errors[0].Pos.Line > 0 {
			c.Line = f.Errors[0].Pos.Line
		}
		one := junitCounts{Tests: 1, Errors: 1, Time: "0"}
		doc.Suites = append(doc.Suites, junitSuite{Name: name, junitCounts: one, File: name, Cases: []junitCase{c}})
		doc.add(one)
	}
	return writeJUnitDoc(w, &doc, fl)
}

// invalidMessage is the one-line message of an invalid file: its first
// problem, and how many more there are.
func invalidMessage(f Invalid) string {
	if len(f.Errors) == 0 {
		return "invalid scenario: " + f.File
	}
	msg := "invalid scenario: " + f.Errors[0].Error()
	if n := len(f.Errors) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return msg
}

// StatusInvalid is the "status" of the JSON report of a run that did not
// start because files are invalid.
const StatusInvalid = "invalid"

type jsonInvalidReport struct {
	Version   int            `json:"version"`
	Status    string         `json:"status"`
	Shard     *JSONShard     `json:"shard,omitempty"`
	Summary   jsonSummary    `json:"summary"`
	Scenarios []jsonScenario `json:"scenarios"`
	Invalid   []jsonInvalid  `json:"invalid"`
}

type jsonInvalid struct {
	File   string         `json:"file"`
	Errors []jsonLoadProb `json:"errors"`
}

type jsonLoadProb struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
	// Text is the problem as netrun prints it: file:line:col: message.
	Text string `json:"text"`
}

// WriteInvalidJSON writes the JSON report (version JSONVersion) of a run
// that did not start because files are invalid:
//
//	{
//	  "version": 1,
//	  "status": "invalid",
//	  "shard"?: {"index", "total", "items", "set"}, // with --shard K/N: which shard
//	  "summary": {...},            // as in WriteJSON; every count 0 but scenarios.error
//	  "scenarios": [],
//	  "invalid": [{"file", "errors": [{"file", "line", "col", "message", "text"}]}]
//	}
//
// A report of a run that did start has no "invalid" key (and "status" is
// absent), so a consumer tells the two apart by "invalid".
func WriteInvalidJSON(w io.Writer, files []Invalid) error {
	return WriteInvalidJSONShard(w, files, nil)
}

// WriteInvalidJSONShard is WriteInvalidJSON for shard sh of a sharded run
// (nil: not sharded), so that netrun merge names the shard that did not
// start.
func WriteInvalidJSONShard(w io.Writer, files []Invalid, sh *JSONShard) error {
	doc := jsonInvalidReport{Version: JSONVersion, Status: StatusInvalid, Shard: sh, Scenarios: []jsonScenario{}, Invalid: []jsonInvalid{}}
	doc.Summary.Scenarios.Total = len(files)
	doc.Summary.Scenarios.Errored = len(files)
	for _, f := range files {
		ji := jsonInvalid{File: f.File, Errors: []jsonLoadProb{}}
		for _, e := range f.Errors {
			ji.Errors = append(ji.Errors, jsonLoadProb{File: e.Pos.File, Line: e.Pos.Line, Col: e.Pos.Col,
				Message: strings.ToValidUTF8(e.Msg, "\uFFFD"), Text: strings.ToValidUTF8(e.Error(), "\uFFFD")})
		}
		doc.Invalid = append(doc.Invalid, ji)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
