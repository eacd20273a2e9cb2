package report

import (
	"io"
	"regexp"
	"strings"

	"github.com/netrunhq/netrun/engine"
)

// prairieLearnResults is results.json of PrairieLearn's external grading
// (https://prairielearn.readthedocs.io/en/latest/externalGrading/).
type prairieLearnResults struct {
	Gradable bool               `json:"gradable"`
	Score    float64            `json:"score"`
	Points   float64            `json:"points"`
	Max      float64            `json:"max_points"`
	Message  string             `json:"message"`
	Output   string             `json:"output"`
	Tests    []prairieLearnTest `json:"tests"`
}

type prairieLearnTest struct {
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Points      float64 `json:"points"`
	MaxPoints   float64 `json:"max_points"`
	Message     string  `json:"message"`
	Output      string  `json:"output"`
}

// hiddenDetails stands for the details of a step that is not visible to
// students.
const hiddenDetails = "details hidden"

// WritePrairieLearn writes results as the results.json of a PrairieLearn
// external grader:
//
//	{
//	  "gradable",               // false when the submission could not be graded (Ungradable)
//	  "score",                  // the fraction earned, 0 to 1
//	  "points", "max_points",   // the points earned, and the most there are
//	  "message",                // "score 7/10"
//	  "output",                 // the score and each scenario's outcome
//	  "tests": [{
//	    "name",                 // "Scenario: step"
//	    "description",          // where the step is: file:line:col
//	    "points", "max_points",
//	    "message",              // why it failed, on one line, with the hint
//	    "output"                // the failure's details and the transcript's tail
//	  }]
//	}
//
// The tests are those of WriteGradescope. PrairieLearn shows every test to
// students, so a step whose visibility is not visible shows its name and
// points only. A submission that could not be graded (see [Ungradable]) is
// "gradable": false, with why in message, so that the student does not
// lose an attempt. Every string is redacted.
func WritePrairieLearn(w io.Writer, results []*engine.ScenarioResult, red *engine.Redactor) error {
	c := scrub{red}
	doc := prairieLearnResults{Gradable: true, Output: summaryText(c, results), Tests: []prairieLearnTest{}}
	for _, sc := range results {
		if sc != nil {
			doc.Points += sc.Score
			doc.Max += sc.MaxScore
		}
	}
	if doc.Max > 0 {
		doc.Score = min(1, max(0, doc.Points/doc.Max))
	}
	doc.Message = "score " + number(doc.Points) + "/" + number(doc.Max)
	if why := Ungradable(results); why != "" {
		doc.Gradable = false
		doc.Message = "the submission could not be graded: " + visible(c.text(why))
	}
	for _, t := range gradedTests(c, results) {
		p := prairieLearnTest{Name: t.name, Description: t.description, Points: t.score, MaxPoints: t.max,
			Message: t.message, Output: t.output}
		if t.passed {
			p.Message = "passed"
		}
		if t.hidden {
			p.Description, p.Output = "", ""
			if !t.passed {
				p.Message = hiddenDetails
			}
		}
		doc.Tests = append(doc.Tests, p)
	}
	return writeRedactedJSON(w, doc, red, "prairielearn")
}

// syntaxErrorLine matches the line with which Python reports that it could
// not compile a program: it never ran.
var syntaxErrorLine = regexp.MustCompile(`(?m)^\s*(?:SyntaxError|IndentationError|TabError): .*$`)

// Ungradable says why results do not grade a submission, or "" when they
// do: the program under test could not be compiled (Python reported a
// SyntaxError, IndentationError or TabError at compile time, with no
// traceback, and the program earned no points: it never ran), or no scenario
// ran at all (a submission without a program; vars that could not be
// evaluated). Points lost for such a reason say nothing of the student's
// work.
func Ungradable(results []*engine.ScenarioResult) string {
	notRun := ""
	ran := false
	for _, sc := range results {
		if sc == nil || sc.Status == engine.Skipped {
			continue
		}
		// A program that earned points ran, whatever it printed later
		// (an eval of bad code, or a SyntaxError written on purpose).
		if sc.Score == 0 {
			for i := range sc.Steps {
				if why := syntaxError(sc.Steps[i].Failure); why != "" {
					return why
				}
			}
			if why := syntaxError(sc.Failure); why != "" {
				return why
			}
		}
		if sc.Failure != nil && nothingRan(sc) {
			if notRun == "" {
				notRun = sc.Failure.Message
			}
			continue
		}
		ran = true
	}
	if ran {
		return ""
	}
	return notRun
}

// nothingRan reports whether every step of sc was skipped.
func nothingRan(sc *engine.ScenarioResult) bool {
	for i := range sc.Steps {
		if sc.Steps[i].Status != engine.Skipped {
			return false
		}
	}
	return true
}

// syntaxError is the line of f that says the program could not be
// compiled, or "".
func syntaxError(f *engine.Failure) string {
	if f == nil {
		return ""
	}
	if m := compileError(f.Message); m != "" {
		return "the program does not compile: " + m
	}
	for _, e := range f.Exceptions {
		if m := compileError(strings.Join(e.Lines, "\n")); m != "" {
			return "the program does not compile: " + m
		}
	}
	return ""
}

// compileError is the error line of Python's report that it could not
// compile the program, or "". That report has the file and line of the
// error before it, and no "Traceback (most recent call last)": a
// SyntaxError raised while the program runs (eval, compile, an import)
// has one, and is the program's own mistake.
func compileError(text string) string {
	loc := syntaxErrorLine.FindStringIndex(text)
	if loc == nil {
		return ""
	}
	before := text[:loc[0]]
	if strings.Contains(before, "Traceback (most recent call last)") || !strings.Contains(before, `File "`) {
		return ""
	}
	return strings.TrimSpace(text[loc[0]:loc[1]])
}
