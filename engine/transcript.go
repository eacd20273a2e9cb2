package engine

import (
	"bytes"
	"strconv"
	"strings"
)

// Transcript caps: lines kept per step, bytes shown per line, and raw bytes
// held per step before they are turned into lines.
const (
	maxTranscriptLines = 200
	maxTranscriptLine  = 4096
	maxPending         = 256 << 10
)

// chunk is data sent (">") or received ("<") and not yet in the transcript.
type chunk struct {
	dir  string
	data []byte
}

// record keeps data for the transcript. Consecutive chunks in the same
// direction are joined before they are redacted, so that a secret split
// across two reads is still found whole.
func (s *Session) record(dir string, data []byte) {
	n := min(len(data), maxPending-s.pendBytes)
	if n <= 0 {
		return
	}
	if k := len(s.pending); k > 0 && s.pending[k-1].dir == dir {
		s.pending[k-1].data = append(s.pending[k-1].data, data[:n]...)
	} else {
		if s.pending == nil {
			s.pending = s.pendSpace[:0]
		}
		s.pending = append(s.pending, chunk{dir: dir, data: append([]byte(nil), data[:n]...)})
	}
	s.pendBytes += n
}

// flush turns what was recorded into transcript lines: redacted first, then
// cut at line ends, then quoted (or shown as hex when binary).
func (s *Session) flush() {
	for _, c := range s.pending {
		red := s.sr.opts.Redactor.RedactBytes(c.data)
		for len(red) > 0 {
			line := red
			if i := bytes.IndexByte(red, '\n'); i >= 0 {
				line = red[:i+1]
			}
			red = red[len(line):]
			s.appendLine(c.dir, Quote(line, maxTranscriptLine))
		}
	}
	if s.pendBytes >= maxPending {
		s.appendLine("*", "transcript cut: more than 256 KiB in one step")
	}
	s.pending, s.pendBytes = s.pending[:0], 0
}

// appendLine adds a line unless the transcript is full; the last place is
// kept for saying that it was cut.
func (s *Session) appendLine(dir, text string) {
	switch n := len(s.transcript); {
	case n >= maxTranscriptLines:
	case n == maxTranscriptLines-1:
		s.transcript = append(s.transcript, TranscriptLine{Dir: "*", Text: "transcript cut"})
	default:
		s.transcript = append(s.transcript, TranscriptLine{Dir: dir, Text: text})
	}
}

// receivedTail is the end of what a step's transcript shows received, at
// most max bytes, quoted as a mismatch shows it; "" when nothing was. It is
// what a failed assertion shows under "received:". The transcript is
// already redacted.
func receivedTail(lines []TranscriptLine, max int) string {
	var parts [][]byte
	n := 0
	for i := len(lines) - 1; i >= 0 && n < max; i-- {
		if lines[i].Dir != "<" {
			continue
		}
		data, whole := unquoteLine(lines[i].Text)
		parts = append(parts, data)
		n += len(data)
		if !whole {
			break // what came before is not in the transcript
		}
	}
	if n == 0 {
		return ""
	}
	data := make([]byte, 0, n)
	for i := len(parts) - 1; i >= 0; i-- {
		data = append(data, parts[i]...)
	}
	return Quote(data, max)
}

// unquoteLine turns a transcript entry back into its bytes, as Quote wrote
// it: quoted text or hex, perhaps cut at the front. whole is false when
// it was cut, or does not parse.
func unquoteLine(text string) (data []byte, whole bool) {
	whole = true
	if rest, ok := strings.CutPrefix(text, "…("); ok {
		_, after, found := strings.Cut(rest, ") ")
		if !found {
			return nil, false
		}
		text, whole = after, false
	}
	if hex, ok := strings.CutPrefix(text, "hex:"); ok {
		for _, f := range strings.Fields(hex) {
			b, err := strconv.ParseUint(f, 16, 8)
			if err != nil {
				return data, false
			}
			data = append(data, byte(b))
		}
		return data, whole
	}
	s, err := strconv.Unquote(text)
	if err != nil {
		return nil, false
	}
	return []byte(s), whole
}
