package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"strings"

	"github.com/netrunhq/netrun/engine"
)

//go:embed classreport.html.tmpl
var classReportSource string

// classReportTmpl is the page; html/template escapes every value by its
// context (text, attribute, URL), student names and hints included.
var classReportTmpl = template.Must(template.New("class").Funcs(template.FuncMap{
	"num": func(f float64) string { return number(round3(f)) },
	"pct": func(f float64) string { return fmt.Sprintf("%.0f%%", f) },
	"f1":  func(f float64) string { return fmt.Sprintf("%.1f", f) },
}).Parse(classReportSource))

// histogram bins and geometry, in SVG units.
const (
	histBins   = 11 // 0–9 %, 10–19 %, … 90–99 %, 100 %
	histLeft   = 40
	histTop    = 24
	histWidth  = 660
	histHeight = 180
)

// histBar is one bar of the score histogram.
type histBar struct {
	Label            string
	Count            int
	X, Y, W, H       float64
	LabelX, CountY   float64
	Title            string
	Empty, Highlight bool
}

// classRow is one student's line of the table.
type classRow struct {
	ID     string
	Link   string // URL of the student's report, relative; "" for none
	Cells  []classCell
	Total  float64
	Max    float64
	Pct    float64
	Status string // the worst of the entries' statuses
}

type classCell struct {
	Score, Max float64
	Status     string
}

// classPage is what the template shows.
type classPage struct {
	Title                string
	Exercises            []exerciseStats
	Students, Missing    int
	Full                 int
	Mean, Median         float64 // percent of the maximum
	Hist                 []histBar
	HistW, HistH, HistY0 float64
	YTicks               []histTick
	Hints                []hintCount
	Rows                 []classRow
	ExerciseNames        []string
	Several              bool
}

type histTick struct {
	Y     float64
	Label int
}

// WriteClassReport writes a class's grading as one self-contained HTML
// page for teachers: a histogram of the students' scores (percent of the
// maximum), each exercise's mean, median, full marks and zeros, each
// step's pass rate across the students who handed in a program, the
// hints of the steps that failed most often, and a table of the students,
// each linked to their own report. Charts are inline SVG; the page has no
// script and loads nothing, so it reads offline. Every text is escaped
// (student names are folder names: hostile input) and redacted.
func WriteClassReport(w io.Writer, cl *Class, red *engine.Redactor) error {
	c := scrub{red}
	p := classPage{Title: visible(c.text(cl.Title)), Several: len(cl.Exercises) > 1, HistW: histLeft + histWidth + 10,
		HistH: histTop + histHeight + 40, HistY0: histTop + histHeight}
	for i := range cl.Exercises {
		p.Exercises = append(p.Exercises, exerciseStatsOf(c, cl, i))
		p.ExerciseNames = append(p.ExerciseNames, visible(c.text(cl.Exercises[i])))
	}
	counts := make([]int, histBins)
	var pcts []float64
	for _, s := range cl.Students {
		row := classRowOf(c, s)
		p.Rows = append(p.Rows, row)
		p.Students++
		if row.Status == StatusMissing {
			p.Missing++
		}
		if row.Max == 0 {
			continue
		}
		if row.Total >= row.Max {
			p.Full++
		}
		pcts = append(pcts, row.Pct)
		counts[min(histBins-1, int(row.Pct/10))]++
	}
	p.Mean, p.Median = meanMedian(pcts)
	p.Hist, p.YTicks = histogram(counts)
	p.Hints = topHints(c, cl, 10)
	if err := classReportTmpl.Execute(w, p); err != nil {
		return fmt.Errorf("write class report: %w", err)
	}
	return nil
}

// classRowOf is a student's line: each exercise's score and the total.
func classRowOf(c scrub, s ClassStudent) classRow {
	row := classRow{ID: visible(c.text(s.ID)), Link: reportURL(c.text(s.Report))}
	worst := ""
	rank := map[string]int{"passed": 1, "skipped": 1, "failed": 2, "error": 3, "interrupted": 4, StatusMissing: 5}
	for _, e := range s.Entries {
		cell := classCell{Status: e.Status}
		if e.Result != nil {
			cell.Score, cell.Max = e.Result.Score, e.Result.MaxScore
			row.Total += cell.Score
			row.Max += cell.Max
		}
		if rank[e.Status] > rank[worst] {
			worst = e.Status
		}
		row.Cells = append(row.Cells, cell)
	}
	row.Status = worst
	if row.Max > 0 {
		row.Pct = 100 * row.Total / row.Max
	}
	return row
}

// reportURL turns a relative path into a relative URL: each folder's name
// escaped, so that a student folder named "a#b" or "<x>" links to itself.
func reportURL(path string) string {
	if path == "" {
		return ""
	}
	parts := strings.Split(path, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return "./" + strings.Join(parts, "/")
}

// histogram lays out the bars of counts and the ticks of the count axis.
func histogram(counts []int) ([]histBar, []histTick) {
	top := 1
	for _, n := range counts {
		top = max(top, n)
	}
	slot := float64(histWidth) / float64(len(counts))
	var bars []histBar
	for i, n := range counts {
		label := fmt.Sprintf("%d–%d", i*10, i*10+9)
		if i == len(counts)-1 {
			label = "100"
		}
		h := float64(histHeight) * float64(n) / float64(top)
		x := histLeft + float64(i)*slot
		bars = append(bars, histBar{Label: label, Count: n, X: x + 4, W: slot - 8, H: h,
			Y: histTop + histHeight - h, LabelX: x + slot/2, CountY: histTop + histHeight - h - 5,
			Title: fmt.Sprintf("%d students scored %s%%", n, label), Empty: n == 0, Highlight: i == len(counts)-1})
	}
	var ticks []histTick
	step := max(1, (top+4)/5)
	for v := 0; v <= top; v += step {
		ticks = append(ticks, histTick{Y: histTop + histHeight - float64(histHeight)*float64(v)/float64(top), Label: v})
	}
	return bars, ticks
}
