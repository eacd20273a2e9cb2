package report

import (
	"io"
	"math"

	"github.com/netrunhq/netrun/engine"
)

// gradescopeResults is results.json of the Gradescope autograder
// specification (https://gradescope-autograders.readthedocs.io/en/latest/specs/).
type gradescopeResults struct {
	Score         float64          `json:"score"`
	ExecutionTime float64          `json:"execution_time"`
	Output        string           `json:"output"`
	OutputFormat  string           `json:"output_format"`
	TestOutFormat string           `json:"test_output_format"`
	Visibility    string           `json:"visibility"`
	StdoutVis     string           `json:"stdout_visibility"`
	ExtraData     gradescopeExtra  `json:"extra_data"`
	Tests         []gradescopeTest `json:"tests"`
}

// gradescopeExtra is stored by Gradescope with the submission.
type gradescopeExtra struct {
	MaxScore float64 `json:"max_score"`
}

type gradescopeTest struct {
	Name         string   `json:"name"`
	Number       string   `json:"number"`
	Score        float64  `json:"score"`
	MaxScore     float64  `json:"max_score"`
	Status       string   `json:"status"`
	Output       string   `json:"output,omitempty"`
	OutputFormat string   `json:"output_format"`
	Visibility   string   `json:"visibility"`
	Tags         []string `json:"tags,omitempty"`
	ExtraData    struct {
		Duration float64 `json:"duration"`
		Location string  `json:"location,omitempty"`
	} `json:"extra_data"`
}

// WriteGradescope writes results as the results.json of a Gradescope
// autograder:
//
//	{
//	  "score",                  // the points earned, which Gradescope shows
//	  "execution_time",         // seconds the run spanned
//	  "output",                 // the score and each scenario's outcome
//	  "output_format": "text", "test_output_format": "text",
//	  "visibility": "visible",  // the score and the visible tests, at once
//	  "stdout_visibility",      // "hidden" when a test is not visible (netrun's
//	                            // console may show its details), else "visible"
//	  "extra_data": {"max_score"},
//	  "tests": [{
//	    "name",                 // "Scenario: step"
//	    "number",               // "1.2": scenario 1, step 2
//	    "score", "max_score", "status": "passed" | "failed",
//	    "output"?,              // why it failed, the hint, the transcript's tail
//	    "output_format": "text",
//	    "visibility",           // the step's: visible, hidden, after_due_date, after_published
//	    "tags"?,                // the scenario's tags
//	    "extra_data": {"duration", "location"}
//	  }]
//	}
//
// A test is a step that carries points or did not pass; a scenario without
// points is one test worth 1 point. Every string is redacted.
func WriteGradescope(w io.Writer, results []*engine.ScenarioResult, red *engine.Redactor) error {
	c := scrub{red}
	doc := gradescopeResults{ExecutionTime: round3(wallTime(results).Seconds()), Output: summaryText(c, results),
		OutputFormat: "text", TestOutFormat: "text", Visibility: "visible", StdoutVis: "visible", Tests: []gradescopeTest{}}
	for _, sc := range results {
		if sc != nil {
			doc.Score += sc.Score
			doc.ExtraData.MaxScore += sc.MaxScore
		}
	}
	for _, t := range gradedTests(c, results) {
		g := gradescopeTest{Name: t.name, Number: t.number, Score: t.score, MaxScore: t.max,
			Status: "failed", Output: t.output, OutputFormat: "text", Visibility: t.visibility, Tags: t.tags}
		if t.visibility != "visible" {
			doc.StdoutVis = "hidden"
		}
		if t.passed {
			g.Status = "passed"
		}
		g.ExtraData.Duration = round3(t.duration.Seconds())
		g.ExtraData.Location = t.description
		doc.Tests = append(doc.Tests, g)
	}
	return writeRedactedJSON(w, doc, red, "gradescope")
}

// round3 rounds to milliseconds, for stable seconds in reports.
func round3(f float64) float64 { return math.Round(f*1000) / 1000 }
