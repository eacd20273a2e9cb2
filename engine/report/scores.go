package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/netrunhq/netrun/engine"
)

// WriteScores writes scores.csv, of netrun grade and netrun merge. For a
// grading (students, one per result, in order): student,exercise,score,
// max_score,status, a line per student and exercise in the order of
// results. Otherwise (students nil): file,scenario,score,max_score,status,
// a line per scenario. A score is written without needless decimals and
// never with an exponent.
func WriteScores(w io.Writer, results []*engine.ScenarioResult, students []*JSONStudent) error {
	cw := csv.NewWriter(w)
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	if students != nil {
		if len(students) != len(results) {
			return fmt.Errorf("write scores: %d students for %d results", len(students), len(results))
		}
		_ = cw.Write([]string{"student", "exercise", "score", "max_score", "status"})
		for i, sc := range results {
			st := students[i]
			_ = cw.Write([]string{st.ID, st.Exercise, num(sc.Score), num(sc.MaxScore), st.Status})
		}
	} else {
		_ = cw.Write([]string{"file", "scenario", "score", "max_score", "status"})
		for _, sc := range results {
			_ = cw.Write([]string{sc.File, sc.Name, num(sc.Score), num(sc.MaxScore), string(sc.Status)})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write scores: %w", err)
	}
	return nil
}
