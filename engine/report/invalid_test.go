package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
)

func invalidFixture() []Invalid {
	return []Invalid{
		{File: "a.yaml", Errors: engine.ErrorList{
			{Pos: engine.Pos{File: "a.yaml", Line: 4, Col: 5}, Msg: `unknown key "tiemout" (did you mean "timeout"?)`},
			{Pos: engine.Pos{File: "a.yaml", Line: 6, Col: 20}, Msg: "bad <&> \x00 value"},
		}},
		NewInvalid("b.yaml", errors.New("cannot read file: not a regular file (a named pipe)")),
	}
}

// TestInvalidJUnit: a CI parser finds a testcase with an error per invalid
// file, whose body lists every positioned problem.
func TestInvalidJUnit(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteInvalidJUnit(&buf, invalidFixture(), JUnitXunit2); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests  int `xml:"tests,attr"`
		Errors int `xml:"errors,attr"`
		Suites []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name  string `xml:"name,attr"`
				Line  int    `xml:"line,attr"`
				Error struct {
					Message string `xml:"message,attr"`
					Type    string `xml:"type,attr"`
					Body    string `xml:",chardata"`
				} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if doc.Tests != 2 || doc.Errors != 2 || len(doc.Suites) != 2 {
		t.Fatalf("%+v", doc)
	}
	c := doc.Suites[0].Cases[0]
	// The line is only in the github flavour: junit-10.xsd has no
	// testcase/@line.
	if c.Name != "invalid scenario" || c.Line != 0 || c.Error.Type != "invalid scenario" {
		t.Errorf("%+v", c)
	}
	var gh bytes.Buffer
	if err := WriteInvalidJUnit(&gh, invalidFixture(), JUnitGitHub); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(gh.String(), `file="a.yaml" line="4"`) {
		t.Errorf("github flavour without the file and line:\n%s", gh.String())
	}
	if want := `invalid scenario: a.yaml:4:5: unknown key "tiemout" (did you mean "timeout"?) (and 1 more)`; c.Error.Message != want {
		t.Errorf("message %q, want %q", c.Error.Message, want)
	}
	for _, want := range []string{`a.yaml:4:5: unknown key "tiemout"`, "a.yaml:6:20: bad <&>  value"} {
		if !strings.Contains(c.Error.Body, want) {
			t.Errorf("body %q lacks %q", c.Error.Body, want)
		}
	}
	if m := doc.Suites[1].Cases[0].Error.Message; m != "invalid scenario: b.yaml: cannot read file: not a regular file (a named pipe)" {
		t.Errorf("%q", m)
	}
}

// TestInvalidJSON: the JSON report says "invalid" and lists each problem
// with its position.
func TestInvalidJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteInvalidJSON(&buf, invalidFixture()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version int    `json:"version"`
		Status  string `json:"status"`
		Summary struct {
			Scenarios map[string]int `json:"scenarios"`
		} `json:"summary"`
		Scenarios []any `json:"scenarios"`
		Invalid   []struct {
			File   string `json:"file"`
			Errors []struct {
				File    string `json:"file"`
				Line    int    `json:"line"`
				Col     int    `json:"col"`
				Message string `json:"message"`
				Text    string `json:"text"`
			} `json:"errors"`
		} `json:"invalid"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if doc.Version != JSONVersion || doc.Status != "invalid" || doc.Scenarios == nil || len(doc.Invalid) != 2 {
		t.Fatalf("%s", buf.String())
	}
	if doc.Summary.Scenarios["total"] != 2 || doc.Summary.Scenarios["error"] != 2 {
		t.Errorf("summary %v", doc.Summary.Scenarios)
	}
	e := doc.Invalid[0].Errors[0]
	if e.File != "a.yaml" || e.Line != 4 || e.Col != 5 || !strings.HasPrefix(e.Text, "a.yaml:4:5: unknown key") {
		t.Errorf("%+v", e)
	}
	if b := doc.Invalid[1]; b.File != "b.yaml" || len(b.Errors) != 1 || b.Errors[0].Line != 0 {
		t.Errorf("%+v", b)
	}
}
