package report

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/width"
)

// Live keeps a status line at the bottom of a terminal: how many of the
// run's items (scenarios, students) are done, which are running and the
// time so far. Text written through it (Write) goes above the line, which
// is then drawn again. Use it only on a terminal: it moves the cursor with
// a carriage return and erases with ESC [ K.
//
// The methods are safe for concurrent use.
type Live struct {
	// W is the terminal.
	W io.Writer
	// Total is the number of items; Noun names them ("scenarios").
	Total int
	Noun  string
	// Width is the terminal's width in columns; the line is cut to fit
	// (0: 80).
	Width int
	// Now is the clock (nil: time.Now).
	Now func() time.Time

	mu      sync.Mutex
	start   time.Time
	done    int
	running []liveItem
	shown   bool
	stopped bool
}

type liveItem struct {
	id   int
	name string
}

func (l *Live) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Start records that item id, called name, has started, and draws the
// line. The clock starts at the first call.
func (l *Live) Start(id int, name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.start.IsZero() {
		l.start = l.now()
	}
	l.running = append(l.running, liveItem{id, visible(oneLine(name))})
	l.draw()
}

// Done records that item id has ended, and draws the line.
func (l *Live) Done(id int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, it := range l.running {
		if it.id == id {
			l.running = append(l.running[:i], l.running[i+1:]...)
			break
		}
	}
	l.done++
	l.draw()
}

// Write writes p above the status line: the line is erased, p written,
// and the line drawn again once p ends a line.
func (l *Live) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.erase()
	n, err := l.W.Write(p)
	if len(p) > 0 && p[len(p)-1] == '\n' {
		l.draw()
	}
	return n, err
}

// Redraw draws the line again, for the elapsed time to move on.
func (l *Live) Redraw() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.draw()
}

// Stop erases the line for good: later writes go through as they are.
func (l *Live) Stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.erase()
	l.stopped = true
}

func (l *Live) erase() {
	if l.shown {
		_, _ = io.WriteString(l.W, "\r\x1b[K")
		l.shown = false
	}
}

func (l *Live) draw() {
	if l.stopped {
		return
	}
	l.erase()
	_, _ = io.WriteString(l.W, l.Line())
	l.shown = true
}

// Line returns the status line: "[3/10 scenarios] 4.2s  running: A, B".
// The caller holds l.mu, or the line is only read in a test.
func (l *Live) Line() string {
	elapsed := time.Duration(0)
	if !l.start.IsZero() {
		elapsed = l.now().Sub(l.start).Truncate(100 * time.Millisecond)
	}
	s := fmt.Sprintf("[%d/%d %s] %s", l.done, l.Total, l.Noun, elapsedText(elapsed))
	if len(l.running) > 0 {
		names := make([]string, len(l.running))
		for i, it := range l.running {
			names[i] = it.name
		}
		s += "  running: " + strings.Join(names, ", ")
	}
	width := l.Width
	if width <= 0 {
		width = 80
	}
	// One column short of the width: a line that fills the last column
	// makes some terminals wrap, and the erase then misses the line.
	return cut(s, width-1)
}

// elapsedText formats the time so far: 4.2s, 1m05s.
func elapsedText(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}

// cut shortens s to n columns, ending with "…" when cut. East Asian
// wide characters (Chinese names) take two columns.
func cut(s string, n int) string {
	if n < 1 {
		return ""
	}
	if columns(s) <= n {
		return s
	}
	used := 0
	for i, r := range s {
		if used+runeWidth(r) > n-1 {
			return s[:i] + "…"
		}
		used += runeWidth(r)
	}
	return s
}

// columns is the width of s on a terminal.
func columns(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}
