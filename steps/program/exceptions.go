package program

import (
	"bytes"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/netrunhq/netrun/engine"
)

// Caps on the exceptions a stream keeps until a failure shows them.
const (
	// maxExcBlocks is how many different exceptions are kept: the first
	// ones, which are usually the cause of the others. A repeat of one of
	// them is counted.
	maxExcBlocks = 4
	// maxExcLines is how many lines of one exception are kept: its first
	// excHeadLines and the rest from its end, where Python names the error.
	maxExcLines  = 40
	excHeadLines = 4
	// maxExcLineKept is how much of one line is kept before redaction;
	// maxExcLineShown, after it.
	maxExcLineKept  = 4 << 10
	maxExcLineShown = 300
)

// excWords are the words without which a line cannot look like an
// exception: a cheap test before the regular expression.
// ("Err" stands for Error and Errno.)
var excWords = [][]byte{[]byte("Err"), []byte("Exception"), []byte("[SSL"),
	[]byte("socket.timeout"), []byte("timed out"), []byte("Traceback"), []byte("panic: ")}

// excRare is, for each of excWords, where its byte rarest in ordinary
// output is (x, L, k, u...): the whole of every chunk a program writes is
// searched for each word by that byte. A search by a byte as common as t
// or m ran 20 times slower on log lines.
var excRare = []int{0, 1, 3, 3, 7, 8, 0}

// hasWord reports whether p holds excWords[k]: it looks for the word's
// rare byte, and checks the word around each one; after many misses it
// lets bytes.Contains search the rest.
func hasWord(p []byte, k int) bool {
	w, at := excWords[k], excRare[k]
	i := at
	for misses := 0; i < len(p); misses++ {
		j := bytes.IndexByte(p[i:], w[at])
		if j < 0 {
			return false
		}
		i += j
		if s, e := i-at, i-at+len(w); s >= 0 && e <= len(p) && p[s] == w[0] && p[e-1] == w[len(w)-1] &&
			bytes.Equal(p[s:e], w) {
			return true
		}
		i++
		if misses > 16+i/64 {
			return bytes.Contains(p[i-at:], w)
		}
	}
	return false
}

// excLine matches a line that names an exception: `ConnectionRefusedError:
// [Errno 111] Connection refused`, `ssl.SSLError: ...`, `Exception in
// thread ...`, what a caught exception prints (`[SSL:
// WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)`, `[Errno 98]
// Address already in use`, `timed out`), `socket.timeout`, a Go panic.
var excLine = regexp.MustCompile(`(?:^|[^\w.])(?:[A-Za-z_][\w.]*)?(?:Error|Exception)(?:$|[^\w])|\[SSL(?::[^\]]*)?\]|\[Errno -?\d+\]|\bErrno\b|\bsocket\.timeout\b|^\s*timed out\s*$|^panic: `)

// traceStart begins a Python traceback.
const traceStart = "Traceback (most recent call last):"

// excBlock is one exception: a traceback or a line, and how many times it
// came.
type excBlock struct {
	lines []string
	cut   int // lines not kept from its middle
	count int
}

// excScanner finds, in one stream, the lines that look like an exception,
// as they are written: a whole traceback (Python's, from its first line to
// the one that names the error; the indented "at ..." frames after a line
// that names an exception, as Java and Node.js print them), or a single
// line. It keeps them until a failure takes them. The output's lock
// guards it.
type excScanner struct {
	partial []byte // the line being written, at most maxExcLineKept
	inTrace bool   // the current block is a traceback not yet ended
	cur     *excBlock
	blocks  []*excBlock
	dropped int // exceptions beyond maxExcBlocks
	// lastTested is the last line the pattern was tried on, and lastHit
	// its answer: a program that floods its output repeats its lines,
	// and the pattern is the scan's dearest part.
	lastTested []byte
	lastHit    bool
	// spare is a block finish counted as a repeat, free for the next
	// line, and lastLine the text of the last line made a block: a
	// flood of one exception line then allocates nothing per line.
	spare    *excBlock
	lastLine string
}

// excWindow is how much of a write the scan looks at in one go: the
// searches for each word then find it in the processor's cache.
const excWindow = 64 << 10

// feed scans p, written to the stream: a large p by pieces of about
// excWindow bytes cut after a line feed, so that every line is whole in
// one piece (but a line longer than that).
func (x *excScanner) feed(p []byte) {
	for len(p) > excWindow {
		cut := bytes.LastIndexByte(p[:excWindow], '\n') + 1
		if cut == 0 {
			cut = len(p)
			if i := bytes.IndexByte(p[excWindow:], '\n'); i >= 0 {
				cut = excWindow + i + 1
			}
		}
		x.feedPiece(p[:cut])
		p = p[cut:]
	}
	x.feedPiece(p)
}

// feedPiece scans p. The words an exception needs are looked for in the
// whole of p first: a line is only matched against the words that p
// holds.
func (x *excScanner) feedPiece(p []byte) {
	if len(p) == 0 {
		return
	}
	var words [][]byte
	for k, w := range excWords {
		if hasWord(p, k) {
			words = append(words, w)
		}
	}
	if len(words) == 0 && x.cur == nil && len(x.partial) == 0 {
		// The usual write: no line of it can matter, but its last
		// unfinished one.
		if i := bytes.LastIndexByte(p, '\n'); i >= 0 {
			p = p[i+1:]
		}
	}
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			x.keep(p)
			return
		}
		l := p[:i]
		p = p[i+1:]
		if len(x.partial) > 0 {
			// The line begun in an earlier write: all the words count.
			x.keep(l)
			x.line(x.partial, excWords)
			x.partial = x.partial[:0]
			continue
		}
		x.line(l, words)
	}
}

// keep adds to the line being written, up to maxExcLineKept.
func (x *excScanner) keep(b []byte) {
	if room := maxExcLineKept - len(x.partial); room > 0 {
		x.partial = append(x.partial, b[:min(room, len(b))]...)
	}
}

// end handles the last line, written without a line feed, when the
// stream ends.
func (x *excScanner) end() {
	if len(x.partial) > 0 {
		x.line(x.partial, excWords)
		x.partial = x.partial[:0]
	}
	x.finish()
}

// line handles one whole line, which may hold only the given words of
// excWords. It is copied only when it is kept.
func (x *excScanner) line(l []byte, words [][]byte) {
	l = bytes.TrimSuffix(l[:min(len(l), maxExcLineKept)], []byte("\r"))
	indented := len(l) > 0 && (l[0] == ' ' || l[0] == '\t')
	switch {
	case x.cur == nil && len(words) == 0:
		// The usual line: nothing to do.
	case bytes.HasPrefix(l, []byte(traceStart)):
		x.finish()
		x.cur, x.inTrace = &excBlock{lines: []string{string(l)}, count: 1}, true
	case x.inTrace && (indented || len(l) == 0):
		x.add(string(l))
	case x.inTrace:
		// The line that names the error ends the traceback.
		x.add(string(l))
		x.finish()
	case x.cur != nil && indented && bytes.HasPrefix(bytes.TrimSpace(l), []byte("at ")):
		x.add(string(l)) // a frame of a Java or Node.js stack trace
	case x.cur != nil && bytes.HasPrefix(l, []byte("Caused by: ")):
		x.add(string(l))
	case x.looksLikeException(l, words):
		x.finish()
		x.cur = x.block(l)
	default:
		x.finish()
	}
}

// block returns a new block of the line l.
func (x *excScanner) block(l []byte) *excBlock {
	if x.lastLine != string(l) {
		x.lastLine = string(l)
	}
	b := x.spare
	if b == nil {
		b = &excBlock{}
	}
	x.spare = nil
	b.lines, b.cut, b.count = append(b.lines[:0], x.lastLine), 0, 1
	return b
}

// looksLikeException reports whether a line names an exception; words are
// those of excWords that it may hold.
func (x *excScanner) looksLikeException(l []byte, words [][]byte) bool {
	for _, w := range words {
		if bytes.Contains(l, w) {
			if !bytes.Equal(l, x.lastTested) {
				x.lastTested, x.lastHit = append(x.lastTested[:0], l...), excLine.Match(l)
			}
			return x.lastHit
		}
	}
	return false
}

// add appends l to the current block, keeping its first excHeadLines and
// its last lines.
func (x *excScanner) add(l string) {
	b := x.cur
	b.lines = append(b.lines, l)
	if len(b.lines) > maxExcLines {
		b.lines = slices.Delete(b.lines, excHeadLines, excHeadLines+1)
		b.cut++
	}
}

// finish files the current block: a repeat of a kept one is counted.
func (x *excScanner) finish() {
	b := x.cur
	x.cur, x.inTrace = nil, false
	if b == nil {
		return
	}
	for len(b.lines) > 1 && b.lines[len(b.lines)-1] == "" {
		b.lines = b.lines[:len(b.lines)-1]
	}
	for _, k := range x.blocks {
		if k.cut == b.cut && slices.Equal(k.lines, b.lines) {
			k.count++
			x.spare = b // nothing else holds it
			return
		}
	}
	if len(x.blocks) >= maxExcBlocks {
		x.dropped++
		return
	}
	x.blocks = append(x.blocks, b)
}

// take returns the exceptions found since the last call, the one being
// written included, and forgets them.
func (x *excScanner) take() ([]*excBlock, int) {
	if x.cur != nil {
		wasTrace := x.inTrace
		x.finish()
		if wasTrace {
			// A traceback still being written goes on in a new block.
			x.cur, x.inTrace = &excBlock{lines: []string{"…"}, count: 1}, true
		}
	}
	b, n := x.blocks, x.dropped
	x.blocks, x.dropped = nil, 0
	return b, n
}

// takeExceptions returns what the stream printed that looks like an
// exception since the last call.
func (o *output) takeExceptions() ([]*excBlock, int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.exc.take()
}

// Exceptions returns what the program printed, on stdout or stderr, that
// looks like an exception since the last call: tracebacks and lines that
// name an error, redacted and capped. The engine shows them with the
// failure of a step (engine.ExceptionReporter).
func (p *process) Exceptions(s *engine.Session) []engine.Exception {
	var out []engine.Exception
	for _, st := range []struct {
		name string
		o    *output
	}{{"stdout", p.stdout}, {"stderr", p.stderr}} {
		blocks, dropped := st.o.takeExceptions()
		for _, b := range blocks {
			e := engine.Exception{Program: p.name, Stream: st.name, Count: b.count}
			for i, l := range b.lines {
				if b.cut > 0 && i == excHeadLines {
					e.Lines = append(e.Lines, "…")
				}
				e.Lines = append(e.Lines, cutLine(s.Redact(l)))
			}
			out = append(out, e)
		}
		if dropped > 0 {
			out = append(out, engine.Exception{Program: p.name, Stream: st.name, More: dropped})
		}
	}
	return out
}

// cutLine cuts a line to maxExcLineShown bytes, at a rune boundary.
func cutLine(l string) string {
	if len(l) <= maxExcLineShown {
		return l
	}
	cut := maxExcLineShown
	for cut > 0 && !utf8.RuneStart(l[cut]) {
		cut--
	}
	return l[:cut] + "…"
}
