package httpstep

import (
	"fmt"
	"net"
	"sync"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
)

const (
	// tapBudget is what the transcript of one step shows of each
	// direction, a client's or a listener's; the rest is counted, not
	// kept.
	tapBudget = 64 << 10
	// tapNotes bounds the notes kept between two steps.
	tapNotes = 64
)

// Directions of recorded data.
const (
	sent = iota
	received
)

// tap records what a client's connections send and receive, and notes about
// them, until a step moves it into its transcript with drain. The
// transport reads and writes from goroutines of its own, so the tap keeps
// the events under a lock, and only the step's goroutine touches the
// session. What it keeps is bounded: tapBudget bytes each way and tapNotes
// notes per step.
type tap struct {
	mu      sync.Mutex
	events  []event
	kept    [2]int
	dropped [2]int
	notes   int
}

// event is data sent or received, or a note.
type event struct {
	dir  int
	data []byte
	note string
}

// record keeps data going in direction dir, within the budget.
func (t *tap) record(dir int, p []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := min(len(p), tapBudget-t.kept[dir])
	if n > 0 {
		if k := len(t.events); k > 0 && t.events[k-1].note == "" && t.events[k-1].dir == dir {
			t.events[k-1].data = append(t.events[k-1].data, p[:n]...)
		} else {
			t.events = append(t.events, event{dir: dir, data: append([]byte(nil), p[:n]...)})
		}
		t.kept[dir] += n
	}
	t.dropped[dir] += len(p) - max(n, 0)
}

// note keeps a remark, such as a new connection.
func (t *tap) note(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.notes < tapNotes {
		t.events = append(t.events, event{note: fmt.Sprintf(format, args...)})
	}
	t.notes++
}

// drain moves what was recorded into the step's transcript (the engine
// redacts it) and starts a new budget.
func (t *tap) drain(s *engine.Session) {
	t.mu.Lock()
	events, dropped, notes := t.events, t.dropped, t.notes
	t.events, t.kept, t.dropped, t.notes = nil, [2]int{}, [2]int{}, 0
	t.mu.Unlock()
	for _, e := range events {
		switch {
		case e.note != "":
			s.Note("%s", e.note)
		case e.dir == sent:
			s.Sent(e.data)
		default:
			s.Received(e.data)
		}
	}
	if dropped[sent] > 0 {
		s.Note("%s more sent, not shown", bytesize.Format(dropped[sent]))
	}
	if dropped[received] > 0 {
		s.Note("%s more received, not shown", bytesize.Format(dropped[received]))
	}
	if notes > tapNotes {
		s.Note("%d more notes, not shown", notes-tapNotes)
	}
}

// tapWriter records what is written to it going in direction dir.
type tapWriter struct {
	t   *tap
	dir int
}

// Write records p.
func (w tapWriter) Write(p []byte) (int, error) {
	w.t.record(w.dir, p)
	return len(p), nil
}

// wrap returns c with its traffic recorded.
func (t *tap) wrap(c net.Conn) net.Conn { return &tapConn{Conn: c, t: t} }

// tapConn is a connection whose reads and writes the tap records.
type tapConn struct {
	net.Conn
	t *tap
}

// Read records what it reads.
func (c *tapConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.t.record(received, p[:n])
	}
	return n, err
}

// Write records p before writing it, so that the transcript never shows
// the answer to a request before the request.
func (c *tapConn) Write(p []byte) (int, error) {
	c.t.record(sent, p)
	n, err := c.Conn.Write(p)
	if err != nil && n < len(p) {
		c.t.note("the write failed after %d of %d bytes: %v", n, len(p), err)
	}
	return n, err
}
