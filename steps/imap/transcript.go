package imap

import (
	"bytes"
	"errors"
	"sync"

	"github.com/emersion/go-imap/v2"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/netconn"
)

// maxTranscript bounds what one step keeps of the dialogue; message
// bodies beyond it are counted, not kept.
const maxTranscript = 16 << 10

// recorder keeps what the client sends and receives until the step that
// caused it writes it to its transcript. The client reads in a goroutine of
// its own, so the session is only written at the end of a step.
type recorder struct {
	mu      sync.Mutex
	chunks  []chunk
	kept    int
	dropped [2]int // bytes not kept: sent, received
	// whole keeps each write in one piece, unsplit: set while credentials
	// are sent, so that a secret with a line break in it stays whole for
	// redaction.
	whole bool
}

// chunk is what was sent ('>') or received ('<') in one go.
type chunk struct {
	dir   byte
	data  []byte
	whole bool
}

// keepWhole sets whether writes are kept unsplit from now on.
func (r *recorder) keepWhole(on bool) {
	r.mu.Lock()
	r.whole = on
	r.mu.Unlock()
}

// add keeps a copy of data, within maxTranscript per step.
func (r *recorder) add(dir byte, data []byte) {
	if len(data) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if room := maxTranscript - r.kept; len(data) > room {
		r.dropped[dirIndex(dir)] += len(data) - max(room, 0)
		data = data[:max(room, 0)]
	}
	if len(data) == 0 {
		return
	}
	r.kept += len(data)
	if n := len(r.chunks); n > 0 && dir == '<' && r.chunks[n-1].dir == '<' {
		r.chunks[n-1].data = append(r.chunks[n-1].data, data...)
		return
	}
	r.chunks = append(r.chunks, chunk{dir: dir, data: bytes.Clone(data), whole: r.whole && dir == '>'})
}

func dirIndex(dir byte) int {
	if dir == '>' {
		return 0
	}
	return 1
}

// flush writes what was kept to the step's transcript, line by line
// (writes made while credentials were sent in one piece each).
func (r *recorder) flush(s *engine.Session) {
	r.mu.Lock()
	chunks, dropped := r.chunks, r.dropped
	r.chunks, r.kept, r.dropped = nil, 0, [2]int{}
	r.mu.Unlock()
	for _, c := range chunks {
		record := s.Received
		if c.dir == '>' {
			record = s.Sent
		}
		if c.whole {
			record(c.data)
			continue
		}
		for len(c.data) > 0 {
			i := bytes.IndexByte(c.data, '\n') + 1
			if i == 0 {
				i = len(c.data)
			}
			record(c.data[:i])
			c.data = c.data[i:]
		}
	}
	if dropped[0] > 0 {
		s.Note("%d more bytes sent, not shown", dropped[0])
	}
	if dropped[1] > 0 {
		s.Note("%d more bytes received, not shown", dropped[1])
	}
}

// serverError turns the server's NO or BAD answer into words with its
// text; other errors are returned as they are.
func serverError(err error) error {
	var ie *imap.Error
	if !errors.As(err, &ie) {
		return err
	}
	code := ""
	if ie.Code != "" {
		code = "[" + string(ie.Code) + "] "
	}
	return netconn.Explain(err, "the server answered %s %s%s", ie.Type, code, ie.Text)
}
