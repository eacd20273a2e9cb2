package wire

import (
	"bytes"
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
)

// fuzzMatcher builds a matcher from the fuzzer's choices: a framing, a
// matching key and its text.
func fuzzMatcher(frame, key byte, text, delim string, count uint16) (*Matcher, bool) {
	m := &Matcher{frame: framing(frame % 5)} // stream, line, until, bytes, closed
	switch m.frame {
	case frameLine:
		if len(delim) > 0 && delim[0]&1 == 1 {
			m.delim = delim
		}
	case frameUntil:
		if delim == "" {
			return nil, false
		}
		m.delim = delim
	case frameBytes:
		m.count = int(count % 300)
	}
	switch key % 4 {
	case 0:
		m.equals = &text
	case 1:
		m.contains = &text
	case 2:
		re, err := regexp.Compile(text)
		if err != nil {
			return nil, false
		}
		m.match = re
	}
	return m, true
}

// outcomeOf reads data in chunks of split bytes (all at once for 0) with
// a buffer of max bytes, then a timeout.
type fuzzOutcome struct {
	res  *ExpectResult
	err  error
	rest []byte
}

func readIn(m *Matcher, data []byte, split, max int) fuzzOutcome {
	var chunks []string
	for rest := data; len(rest) > 0; {
		n := len(rest)
		if split > 0 {
			n = min(n, split)
		}
		chunks = append(chunks, string(rest[:n]))
		rest = rest[n:]
	}
	r := NewReader(&script{chunks: chunks, end: os.ErrDeadlineExceeded}, max)
	res, err := m.Read(context.Background(), r, nil)
	return fuzzOutcome{res: res, err: err, rest: bytes.Clone(r.Buffered())}
}

// FuzzMatcherRead reads fuzzed data through an expect of every framing and
// matching key, whole and in small pieces, and checks what an expect
// promises: the same outcome however the data is cut into reads (but on
// the stream with a regular expression, which matches as early as it can,
// or with no matching key, which takes what arrived first);
// what was consumed and what stays buffered make up what was received; a
// frame has the shape its framing says; a failure is a check failure that
// shows at most what was received; nothing beyond max_buffer is kept.
func FuzzMatcherRead(f *testing.F) {
	f.Add([]byte("hello world\r\nnext"), byte(1), byte(1), "world", "", uint16(0), uint8(3))
	f.Add([]byte("HELLO\nrest"), byte(0), byte(0), "HELLO", "", uint16(0), uint8(1))
	f.Add([]byte("a;b;c"), byte(2), byte(2), "^b", ";", uint16(0), uint8(2))
	f.Add([]byte("0123456789"), byte(3), byte(1), "45", "", uint16(7), uint8(4))
	f.Add([]byte("line\r\n"), byte(1), byte(3), "", "\r\n", uint16(0), uint8(1))
	f.Add(bytes.Repeat([]byte("x"), 300), byte(0), byte(1), "y", "", uint16(0), uint8(7))
	f.Add([]byte("caf\xc3(\x00\xff"), byte(4), byte(2), `(?P<n>\x00)`, "", uint16(0), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, frame, key byte, text, delim string, count uint16, split uint8) {
		const max = 1024
		m, ok := fuzzMatcher(frame, key, text, delim, count)
		if !ok || m.fits(max) != nil || len(data) > max {
			return
		}
		whole := readIn(m, data, 0, max)
		piece := readIn(m, data, int(split%16)+1, max)
		for _, o := range []fuzzOutcome{whole, piece} {
			checkOutcome(t, m, data, o, max)
		}
		if m.frame == frameStream && m.equals == nil && m.contains == nil {
			return // a regular expression, or none, takes what arrived first
		}
		if (whole.err == nil) != (piece.err == nil) {
			t.Fatalf("whole: %v; in pieces of %d: %v", whole.err, split%16+1, piece.err)
		}
		// What the expect consumed is the same; the rest, read whole, is
		// all that follows it, and read in pieces, the start of that.
		if whole.err == nil && (whole.res.Data != piece.res.Data || !bytes.HasPrefix(whole.rest, piece.rest) ||
			!bytes.HasSuffix(data, whole.rest)) {
			t.Fatalf("whole: %q rest %q; in pieces: %q rest %q", whole.res.Data, whole.rest, piece.res.Data, piece.rest)
		}
	})
}

// checkOutcome checks one read's invariants.
func checkOutcome(t *testing.T, m *Matcher, data []byte, o fuzzOutcome, max int) {
	t.Helper()
	if len(o.rest) > max {
		t.Fatalf("%d bytes stay buffered, over the cap of %d", len(o.rest), max)
	}
	if !bytes.Contains(data, o.rest) {
		t.Fatalf("the rest %q is not part of what was received", o.rest)
	}
	if o.err != nil {
		var mm *engine.Mismatch
		if !errors.As(o.err, &mm) {
			t.Fatalf("error %v (%T) is not a check failure", o.err, o.err)
		}
		if len(mm.Received) > max {
			t.Fatalf("the failure shows %d bytes, more than the %d buffered at most", len(mm.Received), max)
		}
		return
	}
	res := o.res
	if res.Bytes != len(res.Data) {
		t.Fatalf("bytes %d, len(data) %d", res.Bytes, len(res.Data))
	}
	if !strings.Contains(string(data), res.Data) {
		t.Fatalf("data %q is not in what was received", res.Data)
	}
	switch m.frame {
	case frameLine:
		if m.delim == "" && strings.Contains(res.Data, "\n") {
			t.Fatalf("a line %q holds a line ending", res.Data)
		}
		if m.delim != "" && strings.Contains(res.Data, m.delim) {
			t.Fatalf("a line %q holds its ending %q", res.Data, m.delim)
		}
	case frameUntil:
		if strings.Contains(res.Data, m.delim) {
			t.Fatalf("the data %q holds the delimiter %q", res.Data, m.delim)
		}
	case frameBytes:
		if res.Bytes != m.count {
			t.Fatalf("bytes: %d, want %d", res.Bytes, m.count)
		}
	}
	switch {
	case m.equals != nil && m.frame != frameStream && res.Data != *m.equals:
		t.Fatalf("equals %q passed on %q", *m.equals, res.Data)
	case m.equals != nil && m.frame == frameStream && res.Data != *m.equals:
		t.Fatalf("equals %q passed on the stream with %q", *m.equals, res.Data)
	case m.contains != nil && !strings.Contains(res.Data, *m.contains):
		t.Fatalf("contains %q passed on %q", *m.contains, res.Data)
	case m.match != nil && !m.match.MatchString(res.Data):
		t.Fatalf("match /%s/ passed on %q", m.match, res.Data)
	}
}
