package program

import (
	"bytes"
	"time"

	"github.com/netrunhq/netrun/engine"
)

// endNoticeDelay is how long Ended waits for a program that is still
// running to be seen ending; closedNoticeDelay, when the program has
// already closed its stdout and stderr, as an ending program does a moment
// before its exit status arrives (longer on a loaded machine).
const (
	endNoticeDelay    = 150 * time.Millisecond
	closedNoticeDelay = 2 * time.Second
)

// Output records in the step's transcript, as notes, what the program
// wrote since the last call, and once that it ended on its own. The engine
// calls it after every step (engine.Process).
func (p *process) Output(s *engine.Session) {
	for _, st := range []struct {
		name string
		o    *output
	}{{"stdout", p.stdout}, {"stderr", p.stderr}} {
		data, skipped := st.o.takePending()
		// Redacted whole before it is cut into lines, so that a secret
		// split across lines (quoted-printable soft breaks) is found.
		data = []byte(s.Redact(string(data)))
		for len(data) > 0 {
			line := data
			if i := bytes.IndexByte(data, '\n'); i >= 0 {
				line = data[:i+1]
			}
			data = data[len(line):]
			s.Note("%s %s: %s", p.name, st.name, engine.Quote(line, 1024))
		}
		if skipped > 0 {
			s.Note("%s %s: %d more bytes not shown here", p.name, st.name, skipped)
		}
	}
	if p.ownEnd() && !p.reported {
		p.reported = true
		s.Note("%s %s", p.describe(), p.exit)
	}
}

// Ended says how the program ended when it did on its own, with the end
// of its stderr, or "" while it runs or after netrun stopped it. The
// engine adds it to the message of a step that fails while the program is
// open (engine.Process).
func (p *process) Ended() string {
	// A failure that the program's end caused (its socket closed) may come
	// a moment before netrun learns of the end. Once the program has
	// closed its stdout and stderr, as an ending program does, its exit
	// status is surely coming: wait longer for it.
	if !p.awaitExit(endNoticeDelay) && p.stdout.ended() && p.stderr.ended() {
		p.awaitEnding()
	}
	if !p.ownEnd() {
		return ""
	}
	return p.endText("")
}

// awaitEnding waits up to closedNoticeDelay for a program whose output
// has ended. Once only: a program that closed its output and lives on
// would otherwise cost every later failed step the long wait again.
func (p *process) awaitEnding() {
	if !p.waitedLong {
		p.waitedLong = !p.awaitExit(closedNoticeDelay)
	}
}

// awaitExit waits up to d for the program to end and reports whether it
// has.
func (p *process) awaitExit(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-p.exited:
		return true
	case <-t.C:
		return false
	}
}
