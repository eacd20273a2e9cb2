package wire

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestReach(t *testing.T) {
	for re, want := range map[string]int{
		`ERROR`: 5, `ERR|FAIL`: 4, `\d{3} `: 4, `(?i)k`: 4, `é`: 2, `[^a]`: 4, `a?b`: 2,
		`a{0,3}`: 3, `(a|bc){2}`: 4, `x$`: 1, `(?m)x$`: 1, `(?:)*`: 0, `(?s).`: 4,
		`a.*b`: -1, `a+`: -1, `a{2,}`: -1, `^x`: -1, `(?m)^x`: -1, `\bx`: -1, `x\B`: -1, `\Ax`: -1,
	} {
		var s scan
		if s.learn(regexp.MustCompile(re)); s.reach != want {
			t.Errorf("reach of /%s/ is %d, want %d", re, s.reach, want)
		}
	}
}

// TestEnds: without a longest match, a search runs only when a new byte
// can end a match.
func TestEnds(t *testing.T) {
	for _, c := range []struct{ re, can, cannot string }{
		{`ERR.*`, "xR\r", "\n"},
		{`(?s)a.*b`, "b", ""},
		{`\d+ OK\r?\n`, "\n", "K0 \r"},
		{`(?i)k+`, "kK\xaa", "x"},
		{`[é-ü]+x?`, "x\xa9\xff", "a"},
		{`(ab|c)+(d)*`, "bcd", "a"},
	} {
		var s scan
		if s.learn(regexp.MustCompile(c.re)); s.last == nil {
			t.Fatalf("/%s/: no ends", c.re)
		}
		if !s.last.any([]byte(c.can)) || s.last.any([]byte(c.cannot)) {
			t.Errorf("/%s/: ends %q (want some of %q), none of %q", c.re, c.can, c.can, c.cannot)
		}
	}
	for _, re := range []string{`a*`, `x+\b`, `\Bx.*`, `ERROR`} {
		var s scan
		if s.learn(regexp.MustCompile(re)); s.last != nil {
			t.Errorf("/%s/: ends, want none (empty match, a look past the end, or a longest match)", re)
		}
	}
}

// scanOutcome reads data in pieces of split bytes through m, searching
// only the new bytes where the pattern allows, or (full) the whole buffer
// on every read as before.
func scanOutcome(m Matcher, data string, split int, full bool) fuzzOutcome {
	if full {
		m.matchScan = scan{known: true, reach: -1}
		m.rejectScan = scan{known: true, reach: -1}
	}
	return readIn(&m, []byte(data), split, 1<<16)
}

// checkScanSame reads data with match (on the stream) or reject beside
// until, in pieces of every size up to 8, and wants the same outcome from
// a search of the new bytes and from a search of the whole buffer.
func checkScanSame(t *testing.T, pattern string, data string) {
	t.Helper()
	re, err := regexp.Compile(pattern)
	if err != nil {
		return
	}
	for _, m := range []Matcher{{match: re}, {frame: frameUntil, delim: ";", reject: re}, {contains: strp("END"), reject: re}} {
		for split := 1; split <= 8; split++ {
			got, want := scanOutcome(m, data, split, false), scanOutcome(m, data, split, true)
			if !reflect.DeepEqual(got.res, want.res) || errText(got.err) != errText(want.err) || !bytes.Equal(got.rest, want.rest) {
				t.Fatalf("/%s/ on %q in pieces of %d: searching new bytes: %+v %v rest %q; the whole buffer: %+v %v rest %q",
					pattern, data, split, got.res, got.err, got.rest, want.res, want.err, want.rest)
			}
		}
	}
}

// waited is the time a timeout's message gives, which differs from run
// to run.
var waited = regexp.MustCompile(`timed out after \S+`)

func errText(err error) string {
	if err == nil {
		return ""
	}
	return waited.ReplaceAllString(err.Error(), "timed out")
}

func TestScanSameOutcome(t *testing.T) {
	for _, c := range []struct{ re, data string }{
		{`ERROR`, "abc ER" + "ROR x;"},
		{`(\d{3})[ -]`, "xx 12" + "3-456 ;END"},
		{`(?i)k+?`, "aaa\u212a;"},
		{`é|ab$`, "xxxa" + "b;c\xc3\xa9"},
		{`(?m)ok$`, "not ok\nok;END"},
		{`a.*b`, "a;;;b END"},
		{`\bend\b`, "bend end;END"},
		{`(?:x|y){2,4}z`, "xyxyxz;END"},
		{`\d+ OK\r?\n`, "12 OK\r\n;END"},
		{`(?s)<a>.*</a>`, "<a>x\n</a;</a>END"},
		{`[xy]+z`, "xxyyxxz;"},
		// The window must not start inside a character, where regexp
		// reads a U+FFFD that a full search never sees.
		{`\p{So}`, "你好!"},
		{`\x{FFFD}`, "你好!;"},
		{`[^\p{Han}\s\w]`, "你好吗x;"},
	} {
		checkScanSame(t, c.re, c.data)
	}
}

func FuzzScanSameOutcome(f *testing.F) {
	f.Add(`ERR(OR)?`, "ok ERRO R ERROR;")
	f.Add(`[a-c]{2}\d`, "aab1;END")
	f.Add(`x$`, "ax;xEND")
	f.Add(`a.*b\n`, "aaa;ab\nb\n")
	f.Add(`(?i)[xk]+z|q`, "xK\u212aZ;")
	f.Add(`\p{So}.`, "你好!;")
	f.Fuzz(func(t *testing.T, pattern, data string) {
		if len(data) > 200 {
			return
		}
		checkScanSame(t, pattern, data)
	})
}

// TestScanSearchesNewBytes: a reject beside until, and a match on the
// stream, read 1 MiB in 1 KiB pieces search about the data once, not the
// whole buffer on every read (512 MiB); a reject split across reads
// still fails the step at once.
func TestScanSearchesNewBytes(t *testing.T) {
	data := []byte(strings.Repeat("0123456789abcdef", 1<<16))
	m := Matcher{frame: frameUntil, delim: ";", reject: regexp.MustCompile(`ERR(OR|\d{3})`)}
	s := Matcher{match: regexp.MustCompile(`(END|FIN):\w*\r?\n`)}
	for name, n := range map[string]int{
		"reject": searchedBy(t, &m, &m.rejectScan, m.reject, data),
		"match":  searchedBy(t, &s, &s.matchScan, s.match, data),
	} {
		if n > 2*len(data) {
			t.Errorf("%s searched %d bytes for %d received", name, n, len(data))
		}
	}
	chunks := func(tail string) []string {
		var out []string
		for i := 0; i < len(data); i += 1 << 10 {
			out = append(out, string(data[i:i+1<<10]))
		}
		return append(out, tail)
	}
	m = Matcher{frame: frameUntil, delim: ";", reject: regexp.MustCompile(`ERR(OR|\d{3})`)}
	if _, err := m.Read(context.Background(), NewReader(&script{chunks: chunks(";"), end: os.ErrDeadlineExceeded}, 2<<20), nil); err != nil {
		t.Fatal(err)
	}
	s = Matcher{match: regexp.MustCompile(`(END|FIN):\w*\r?\n`)}
	if _, err := s.Read(context.Background(), NewReader(&script{chunks: chunks("END:\n"), end: os.ErrDeadlineExceeded}, 2<<20), nil); err != nil {
		t.Fatal(err)
	}
	r := NewReader(&script{chunks: append(chunks("ER"), "ROR and more"), end: os.ErrDeadlineExceeded}, 2<<20)
	_, err := (&Matcher{frame: frameUntil, delim: ";", reject: regexp.MustCompile(`ERROR`)}).Read(context.Background(), r, nil)
	if err == nil || !strings.Contains(err.Error(), "matches reject /ERROR/") {
		t.Errorf("a reject across reads: %v", err)
	}
}

// searchedBy examines data as it grows by 1 KiB, as Read does, and counts
// the bytes each search of sc hands to re: from where sc says a search
// starts (the state find then starts from) to the end.
func searchedBy(t *testing.T, m *Matcher, sc *scan, re *regexp.Regexp, data []byte) int {
	t.Helper()
	n := 0
	for end := 1 << 10; end <= len(data); end += 1 << 10 {
		if from := sc.from(re, data[:end]); from >= 0 {
			n += end - from
		}
		if v := m.examine(data[:end], false); v.outcome != needMore {
			t.Fatalf("/%s/ after %d bytes: %+v", re, end, v)
		}
	}
	return n
}
