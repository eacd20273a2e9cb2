package report

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeTerm is a terminal that understands what Live sends: text, "\n",
// "\r" and ESC [ K (erase to the end of the line). Anything else that
// starts with ESC fails the test.
type fakeTerm struct {
	t     *testing.T
	lines [][]rune
	col   int
}

func (f *fakeTerm) Write(p []byte) (int, error) {
	if len(f.lines) == 0 {
		f.lines = [][]rune{nil}
	}
	s := []rune(string(p))
	for i := 0; i < len(s); i++ {
		cur := &f.lines[len(f.lines)-1]
		switch r := s[i]; r {
		case '\n':
			f.lines = append(f.lines, nil)
			f.col = 0
		case '\r':
			f.col = 0
		case '\x1b':
			if i+2 >= len(s) || s[i+1] != '[' || s[i+2] != 'K' {
				f.t.Fatalf("unexpected escape in %q", p)
			}
			*cur = (*cur)[:f.col]
			i += 2
		default:
			if f.col < len(*cur) {
				(*cur)[f.col] = r
			} else {
				*cur = append(*cur, r)
			}
			f.col++
		}
	}
	return len(p), nil
}

// screen returns the terminal's lines; the last is the one the cursor
// is on.
func (f *fakeTerm) screen() []string {
	out := make([]string, len(f.lines))
	for i, l := range f.lines {
		out[i] = string(l)
	}
	return out
}

func TestLive(t *testing.T) {
	term := &fakeTerm{t: t}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	l := &Live{W: term, Total: 3, Noun: "scenarios", Width: 60, Now: func() time.Time { return now }}
	l.Start(0, "Echo")
	l.Start(1, "Mail\nround trip")
	now = now.Add(1500 * time.Millisecond)
	l.Redraw()
	if got, want := term.screen(), []string{"[0/3 scenarios] 1.5s  running: Echo, Mail round trip"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("screen %q, want %q", got, want)
	}
	// A block written above the line, in two writes: the line comes back
	// under it only once the block ends a line.
	_, _ = l.Write([]byte("✓ PASS Mail"))
	_, _ = l.Write([]byte(" round trip\n\n"))
	l.Done(1)
	now = now.Add(65 * time.Second)
	l.Start(2, strings.Repeat("a very long name ", 10))
	want := []string{"✓ PASS Mail round trip", "", "[1/3 scenarios] 1m06s  running: Echo, a very long name a v…"}
	if got := term.screen(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("screen\n%q\nwant\n%q", got, want)
	}
	if n := len([]rune(term.screen()[2])); n != 59 {
		t.Errorf("status line is %d columns, want 59 (width 60 less one)", n)
	}
	l.Done(0)
	l.Done(2)
	l.Stop()
	_, _ = l.Write([]byte("summary\n"))
	want = []string{"✓ PASS Mail round trip", "", "summary", ""}
	if got := term.screen(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("after Stop: screen %q, want %q", got, want)
	}
}

// TestLiveConcurrent writes blocks and status changes from many
// goroutines: every block stays whole on its own lines, and one status
// line is left at the bottom.
func TestLiveConcurrent(t *testing.T) {
	term := &fakeTerm{t: t}
	l := &Live{W: term, Total: 50, Noun: "scenarios"}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.Start(i, "s")
			_, _ = l.Write([]byte("block line one\nblock line two\n"))
			l.Done(i)
		}()
	}
	wg.Wait()
	sc := term.screen()
	if last := sc[len(sc)-1]; !strings.HasPrefix(last, "[50/50 scenarios] ") {
		t.Errorf("last line %q, want the final status", last)
	}
	for i, line := range sc[:len(sc)-1] {
		want := "block line one"
		if i%2 == 1 {
			want = "block line two"
		}
		if line != want {
			t.Fatalf("line %d is %q, want %q (status left over or blocks mixed)", i, line, want)
		}
	}
}

// TestLiveWide cuts a line of Chinese names by columns, not runes: each
// character takes two, and a line wider than the terminal would wrap.
func TestLiveWide(t *testing.T) {
	term := &fakeTerm{t: t}
	l := &Live{W: term, Total: 2, Noun: "graded", Width: 40, Now: func() time.Time { return time.Time{} }}
	l.Start(0, "张伟")
	l.Start(1, "王芳芳芳芳芳芳")
	got := term.screen()[0]
	if w := columns(got); w != 39 {
		t.Errorf("line %q takes %d columns, want 39", got, w)
	}
	if want := "[0/2 graded] 0.0s  running: 张伟, 王芳…"; got != want {
		t.Errorf("line %q, want %q", got, want)
	}
}
