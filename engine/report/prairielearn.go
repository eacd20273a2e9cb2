package report

import (
	"io"

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
//	  "gradable": true,
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
// points only. Every string is redacted.
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
