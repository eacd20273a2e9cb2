package program

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// TestExceptionScanner feeds output as programs print it, in pieces, and
// checks which lines are kept as exceptions.
func TestExceptionScanner(t *testing.T) {
	trace := `Traceback (most recent call last):
  File "/tmp/server.py", line 12, in <module>
    conn, addr = s.accept()
                 ^^^^^^^^^^
  File "/usr/lib/python3.11/socket.py", line 294, in accept
    fd, addr = self._accept()
               ^^^^^^^^^^^^^^
OSError: [Errno 22] Invalid argument
`
	for _, tc := range []struct {
		name, out string
		want      []string // blocks, lines joined with |
	}{
		{"nothing", "listening on 9000\nserved 3 clients, 0 errors\nerror handling is fine\n", nil},
		{"python traceback", "ready\n" + trace + "bye\n",
			[]string{strings.ReplaceAll(strings.TrimSuffix(trace, "\n"), "\n", "|")}},
		{"caught ssl error on stdout", "connecting\n[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)\n",
			[]string{"[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)"}},
		{"caught errors of every form",
			"ConnectionRefusedError: [Errno 111] Connection refused\n[Errno 104] Connection reset by peer\ntimed out\nsocket.timeout: timed out\n",
			[]string{"ConnectionRefusedError: [Errno 111] Connection refused", "[Errno 104] Connection reset by peer",
				"timed out", "socket.timeout: timed out"}},
		{"an exception within a line", "error: Exception in handler\n连接失败: TimeoutError()\nBrokenPipeError\n",
			[]string{"error: Exception in handler", "连接失败: TimeoutError()", "BrokenPipeError"}},
		{"repeats are counted", "OSError: x\nok\nOSError: x\nOSError: x\n", []string{"OSError: x (3)"}},
		{"java stack trace", "Exception in thread \"main\" java.net.ConnectException: Connection refused\n\tat java.base/sun.nio.ch.Net.connect0(Native Method)\n\tat Client.main(Client.java:7)\nCaused by: java.io.IOException: x\ndone\n",
			[]string{"Exception in thread \"main\" java.net.ConnectException: Connection refused|\tat java.base/sun.nio.ch.Net.connect0(Native Method)|\tat Client.main(Client.java:7)|Caused by: java.io.IOException: x"}},
		{"chained tracebacks", trace + "\nDuring handling of the above exception, another exception occurred:\n\n" + trace,
			[]string{strings.ReplaceAll(strings.TrimSuffix(trace, "\n"), "\n", "|") + " (2)"}},
		{"windows line ends and no final line feed", "ok\r\nValueError: bad\r\nKeyError: 'k'",
			[]string{"ValueError: bad", "KeyError: 'k'"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// One byte at a time: lines arrive in pieces.
			o := newOutput()
			for i := range len(tc.out) {
				write(o, []byte{tc.out[i]})
			}
			o.drain(strings.NewReader(""), nil)
			blocks, _ := o.takeExceptions()
			var got []string
			for _, b := range blocks {
				s := strings.Join(b.lines, "|")
				if b.count > 1 {
					s += fmt.Sprintf(" (%d)", b.count)
				}
				got = append(got, s)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestExceptionScannerCaps checks that a flood of exceptions keeps the
// first few, a deep traceback its head and end, and a long line its start.
func TestExceptionScannerCaps(t *testing.T) {
	o := newOutput()
	for i := range 1000 {
		write(o, fmt.Appendf(nil, "ValueError: number %d\n", i))
	}
	// A traceback being written when a failure takes the exceptions goes
	// on in the next ones.
	write(o, []byte("Traceback (most recent call last):\n"))
	blocks, dropped := o.takeExceptions()
	if len(blocks) != maxExcBlocks || dropped != 1000-maxExcBlocks+1 {
		t.Errorf("kept %d, dropped %d; want %d, %d", len(blocks), dropped, maxExcBlocks, 1000-maxExcBlocks+1)
	}
	for i := range 500 {
		write(o, fmt.Appendf(nil, "  File \"x.py\", line %d, in f\n", i))
	}
	write(o, fmt.Appendf(nil, "RecursionError: maximum recursion depth exceeded %s\n", strings.Repeat("x", 10<<10)))
	blocks, _ = o.takeExceptions()
	if len(blocks) != 1 {
		t.Fatalf("got %d blocks, want the rest of the traceback", len(blocks))
	}
	b := blocks[0]
	last := b.lines[len(b.lines)-1]
	if len(b.lines) != maxExcLines || b.lines[0] != "…" || !strings.HasPrefix(last, "RecursionError") || len(last) > maxExcLineKept || b.cut == 0 {
		t.Errorf("kept %d lines (cut %d), first %q, last %d bytes", len(b.lines), b.cut, b.lines[0], len(last))
	}
	if blocks, n := o.takeExceptions(); len(blocks) != 0 || n != 0 {
		t.Errorf("taken twice: %d, %d", len(blocks), n)
	}
}

// TestHasWord: the search of a word by its rare byte finds what
// bytes.Contains finds, in text full of that byte and of pieces of the
// word (which makes it give up on the rare byte), at both ends and
// nowhere.
func TestHasWord(t *testing.T) {
	if len(excRare) != len(excWords) {
		t.Fatalf("%d rare bytes for %d words", len(excRare), len(excWords))
	}
	rng := rand.New(rand.NewSource(1))
	for k, w := range excWords {
		if excRare[k] >= len(w) {
			t.Fatalf("word %q: rare byte %d", w, excRare[k])
		}
		pieces := []string{string(w), string(w[:len(w)-1]), string(w[1:]), string(w[excRare[k]]), "y\n", "GET /index.html HTTP/1.1\n", " "}
		for i := range 3000 {
			var b strings.Builder
			for range rng.Intn(400) {
				p := pieces[1+rng.Intn(len(pieces)-1)]
				if rng.Intn(300) == 0 {
					p = pieces[0]
				}
				b.WriteString(p)
			}
			s := []byte(b.String())
			if got, want := hasWord(s, k), bytes.Contains(s, w); got != want {
				t.Fatalf("word %q, text %d (%d bytes): %v, want %v", w, i, len(s), got, want)
			}
		}
		for _, s := range []string{string(w), string(w) + "\n", "x" + string(w), strings.Repeat(string(w[excRare[k]]), 5000) + string(w)} {
			if !hasWord([]byte(s), k) {
				t.Errorf("word %q not found in %q", w, s[max(0, len(s)-40):])
			}
		}
	}
}
