package wire

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
)

// framing is how an expect cuts its data out of the stream.
type framing int

const (
	frameStream   framing = iota // read until the match holds
	frameLine                    // one line
	frameUntil                   // up to a delimiter
	frameBytes                   // exactly N bytes
	frameClosed                  // everything until the peer closes
	frameDatagram                // one datagram
	frameMessage                 // one message (WebSocket)
)

// Matcher is an Expect with its templates evaluated, ready to examine data.
type Matcher struct {
	frame    framing
	delim    string // line ending (frameLine; "" means \n or \r\n) or until delimiter
	count    int    // frameBytes
	equals   *string
	contains *string
	match    *regexp.Regexp
	reject   *regexp.Regexp
	nothing  bool
	// partial takes what was received as the frame when the frame's end
	// does not come (the peer closes, or the deadline passes).
	partial bool
	// searched is how much of the buffer a search for the delimiter (or,
	// streaming, for contains) has already looked at without finding it,
	// or streaming equals found equal, so that each read searches only
	// what is new: a 100 MiB frame read in 4 KiB chunks was searched from
	// its start 25,000 times. Read sets it to 0; the buffer only grows
	// until Read returns.
	searched int
	// matchScan and rejectScan do the same for match on the stream and
	// for reject, where the pattern allows (see scan).
	matchScan, rejectScan scan
}

// outcome of examining the buffered data.
type outcome int

const (
	needMore outcome = iota
	passed
	failed
)

// verdict is what examine decided.
type verdict struct {
	outcome outcome
	// consume is how many buffered bytes the expect used up.
	consume int
	// data is the frame (or, streaming, the data through the match) and
	// loc the match's submatch indexes into data.
	data []byte
	loc  []int
	err  error
	// partial: data is an unfinished frame, taken by `partial: true`.
	partial bool
}

// examine decides on the buffered data buf; eof means no more will come.
func (m *Matcher) examine(buf []byte, eof bool) verdict {
	if m.nothing {
		switch {
		case len(buf) > 0:
			return m.fail(len(buf), buf, "expected nothing, received %s", bytesize.Format(len(buf)))
		case eof:
			return m.fail(0, nil, "expected nothing, but the peer closed the connection")
		}
		return verdict{outcome: needMore}
	}
	if m.frame == frameStream {
		return m.examineStream(buf, eof)
	}
	frame, consume, ok := m.cut(buf, eof)
	if !ok {
		if v, bad := m.rejectedSoFar(buf); bad {
			return v
		}
		if eof {
			if m.partial && len(buf) > 0 {
				return m.cutShort(buf)
			}
			return m.closedEarly(buf)
		}
		return verdict{outcome: needMore}
	}
	return m.judge(frame, consume)
}

// judge tests a frame that uses up consume buffered bytes.
func (m *Matcher) judge(frame []byte, consume int) verdict {
	if v, bad := m.rejected(frame, consume); bad {
		return v
	}
	loc, err := m.test(frame)
	if err != nil {
		return verdict{outcome: failed, consume: consume, err: err}
	}
	return verdict{outcome: passed, consume: consume, data: frame, loc: loc}
}

// cutShort takes all of buf as an unfinished frame (partial: true), when
// the peer closed or the deadline passed before the frame's end came.
func (m *Matcher) cutShort(buf []byte) verdict {
	v := m.judge(buf, len(buf))
	v.partial = true
	return v
}

// cut finds the frame in buf.
func (m *Matcher) cut(buf []byte, eof bool) (frame []byte, consume int, ok bool) {
	switch m.frame {
	case frameLine:
		if m.delim == "" {
			i := m.index(buf, "\n")
			if i < 0 {
				return nil, 0, false
			}
			return bytes.TrimSuffix(buf[:i], []byte("\r")), i + 1, true
		}
		fallthrough
	case frameUntil:
		i := m.index(buf, m.delim)
		if i < 0 {
			return nil, 0, false
		}
		return buf[:i], i + len(m.delim), true
	case frameBytes:
		if len(buf) < m.count {
			return nil, 0, false
		}
		return buf[:m.count], m.count, true
	case frameClosed:
		if !eof {
			return nil, 0, false
		}
		return buf, len(buf), true
	}
	return buf, len(buf), true
}

// index is the first index of sep in buf, searching only from where the
// last search that failed could not rule out (m.searched).
func (m *Matcher) index(buf []byte, sep string) int {
	if sep == "" {
		return 0
	}
	from := max(0, min(m.searched, len(buf))-len(sep)+1)
	if i := bytes.Index(buf[from:], []byte(sep)); i >= 0 {
		return from + i
	}
	m.searched = len(buf)
	return -1
}

// examineStream reads until the match holds: the data is everything up to
// the end of the match, and the rest stays buffered.
func (m *Matcher) examineStream(buf []byte, eof bool) verdict {
	end, loc := -1, []int(nil)
	switch {
	case m.equals != nil:
		// buf[:m.searched] was found equal before.
		want := *m.equals
		n := min(len(buf), len(want))
		if from := min(m.searched, n); string(buf[from:n]) != want[from:n] {
			return m.fail(n, buf[:n], "received %s, want %s", engine.Quote(buf[:n], 80), strconv.Quote(want))
		}
		if m.searched = n; n == len(want) {
			end = n
		}
	case m.contains != nil:
		if i := m.index(buf, *m.contains); i >= 0 {
			end = i + len(*m.contains)
		}
	case m.match != nil:
		if loc = m.matchScan.find(m.match, buf, true); loc != nil {
			end = loc[1]
		}
	default:
		if len(buf) > 0 {
			end = len(buf)
		}
	}
	if end < 0 {
		if v, bad := m.rejectedSoFar(buf); bad {
			return v
		}
		if eof {
			return m.closedEarly(buf)
		}
		return verdict{outcome: needMore}
	}
	if v, bad := m.rejected(buf[:end], end); bad {
		return v
	}
	return verdict{outcome: passed, consume: end, data: buf[:end], loc: loc}
}

// rejected fails when the reject pattern matches data; consume is what the
// failure uses up.
func (m *Matcher) rejected(data []byte, consume int) (verdict, bool) {
	if m.reject == nil {
		return verdict{}, false
	}
	loc := m.reject.FindIndex(data)
	if loc == nil {
		return verdict{}, false
	}
	return m.fail(consume, data, "received %s, which matches reject /%s/",
		engine.Quote(data[loc[0]:loc[1]], 80), m.reject), true
}

// rejectedSoFar is rejected for all of buf, the data so far while the
// expect waits for more: it searches only where a match can be that the
// search of the data before did not find.
func (m *Matcher) rejectedSoFar(buf []byte) (verdict, bool) {
	if m.reject == nil {
		return verdict{}, false
	}
	if m.rejectScan.find(m.reject, buf, false) == nil {
		return verdict{}, false
	}
	return m.rejected(buf, len(buf))
}

// test checks a frame against equals, contains or match.
func (m *Matcher) test(frame []byte) ([]int, error) {
	noun := m.noun()
	switch {
	case m.equals != nil:
		if string(frame) != *m.equals {
			return nil, mismatch(frame, "%s is %s, want %s", noun, engine.Quote(frame, 80), strconv.Quote(*m.equals))
		}
	case m.contains != nil:
		if !bytes.Contains(frame, []byte(*m.contains)) {
			return nil, mismatch(frame, "%s %s does not contain %s", noun, engine.Quote(frame, 80), strconv.Quote(*m.contains))
		}
	case m.match != nil:
		loc := m.match.FindSubmatchIndex(frame)
		if loc == nil {
			return nil, mismatch(frame, "%s %s does not match /%s/", noun, engine.Quote(frame, 80), m.match)
		}
		return loc, nil
	}
	return nil, nil
}

// closedEarly fails because the peer closed before the expect was done.
func (m *Matcher) closedEarly(buf []byte) verdict {
	got := "nothing received"
	if len(buf) > 0 {
		got = "received " + bytesize.Format(len(buf))
		if m.frame == frameLine || m.frame == frameUntil || m.frame == frameBytes {
			got += ", not a complete frame"
		} else {
			got += " without a match"
		}
	}
	return m.fail(0, buf, "the peer closed the connection while we waited for %s (%s)", m.want(), got)
}

// timedOut is the outcome when no more data came before the deadline:
// success for nothing: true, a mismatch otherwise. Nothing is consumed.
func (m *Matcher) timedOut(buf []byte, waited time.Duration) (*ExpectResult, error) {
	if m.nothing {
		return &ExpectResult{}, nil
	}
	got := "nothing received"
	if len(buf) > 0 {
		got = "received " + bytesize.Format(len(buf)) + " without a match"
	}
	return nil, mismatch(buf, "timed out after %s waiting for %s (%s)", waited, m.want(), got)
}

// flooded is the failure when the buffer is full without a match.
func (m *Matcher) flooded(buf []byte) error {
	return mismatch(buf, "received %s without a match (waiting for %s); max_buffer bounds what an expect keeps",
		bytesize.Format(len(buf)), m.want())
}

func (m *Matcher) fail(consume int, received []byte, format string, args ...any) verdict {
	return verdict{outcome: failed, consume: consume, err: mismatch(received, format, args...)}
}

// mismatch makes a check failure showing received.
func mismatch(received []byte, format string, args ...any) error {
	return &engine.Mismatch{Msg: fmt.Sprintf(format, args...), Received: bytes.Clone(received)}
}

// noun names the frame in messages.
func (m *Matcher) noun() string {
	switch m.frame {
	case frameLine:
		return "the line"
	case frameUntil:
		return "the data before " + strconv.Quote(m.delim)
	case frameBytes:
		return fmt.Sprintf("the %d bytes", m.count)
	case frameClosed:
		return "the data before the close"
	case frameDatagram:
		return "the datagram"
	case frameMessage:
		return "the message"
	}
	return "the data"
}

// want says what the expect waits for, in messages.
func (m *Matcher) want() string {
	if m.nothing {
		return "silence"
	}
	var what string
	switch m.frame {
	case frameLine:
		what = "a line"
	case frameUntil:
		what = "data up to " + strconv.Quote(m.delim)
	case frameBytes:
		what = fmt.Sprintf("%d bytes", m.count)
	case frameClosed:
		what = "the peer to close the connection"
	case frameDatagram:
		what = "a datagram"
	case frameMessage:
		what = "a message"
	default:
		what = "data"
	}
	switch {
	case m.equals != nil:
		what += " equal to " + strconv.Quote(*m.equals)
	case m.contains != nil:
		what += " that contains " + strconv.Quote(*m.contains)
	case m.match != nil:
		what += " that matches /" + m.match.String() + "/"
	}
	return what
}

// result builds the result of a passed expect from its verdict.
func (m *Matcher) result(v verdict) *ExpectResult {
	return m.resultOf(v, string(v.data))
}

// resultOf is result with data, v.data as a string, given; the groups are
// cut from data, so that v.data is not read again.
func (m *Matcher) resultOf(v verdict, data string) *ExpectResult {
	r := &ExpectResult{Data: data, Bytes: len(v.data), Partial: v.partial}
	if m.match == nil || v.loc == nil {
		return r
	}
	r.Groups = make([]string, len(v.loc)/2)
	for i := range r.Groups {
		if a, b := v.loc[2*i], v.loc[2*i+1]; a >= 0 {
			r.Groups[i] = data[a:b]
		}
	}
	r.Named = NamedGroups(m.match, r.Groups)
	return r
}
