package wire

import (
	"context"
	"errors"
	"io"
	"os"
	"reflect"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/netrunhq/netrun/engine"
)

// script is an io.Reader that returns its chunks one per Read, then end
// (io.EOF, a timeout, a reset) forever.
type script struct {
	chunks []string
	end    error
	reads  int
}

func (s *script) Read(p []byte) (int, error) {
	s.reads++
	if len(s.chunks) == 0 {
		return 0, s.end
	}
	n := copy(p, s.chunks[0])
	if n < len(s.chunks[0]) {
		s.chunks[0] = s.chunks[0][n:]
	} else {
		s.chunks = s.chunks[1:]
	}
	return n, nil
}

func strp(s string) *string { return &s }

func TestMatcherRead(t *testing.T) {
	timeout := os.ErrDeadlineExceeded
	tests := []struct {
		name    string
		m       Matcher
		chunks  []string
		end     error
		want    *ExpectResult // nil: want an error
		wantErr string        // substring of the error
		mis     bool          // the error is an engine.Mismatch
		rest    string        // what stays buffered
	}{
		{name: "contains across chunks", m: Matcher{contains: strp("world")},
			chunks: []string{"hel", "lo wor", "ld\r\nrest"}, end: timeout,
			want: &ExpectResult{Data: "hello world", Bytes: 11}, rest: "\r\nrest"},
		{name: "equals is a prefix", m: Matcher{equals: strp("HELLO")},
			chunks: []string{"HEL", "LO WORLD"}, end: timeout,
			want: &ExpectResult{Data: "HELLO", Bytes: 5}, rest: " WORLD"},
		{name: "equals fails at the first different byte", m: Matcher{equals: strp("HELLO")},
			chunks: []string{"HX"}, end: timeout,
			wantErr: `received "HX", want "HELLO"`, mis: true},
		{name: "match groups", m: Matcher{match: regexp.MustCompile(`(?P<code>\d{3}) (\w+)`)},
			chunks: []string{"220 mx ready\r\n"}, end: timeout,
			want: &ExpectResult{Data: "220 mx", Bytes: 6, Groups: []string{"220 mx", "220", "mx"},
				Named: map[string]string{"code": "220"}}, rest: " ready\r\n"},
		{name: "no match key takes what is there", m: Matcher{},
			chunks: []string{"abc"}, end: timeout, want: &ExpectResult{Data: "abc", Bytes: 3}},
		{name: "line strips CRLF", m: Matcher{frame: frameLine, equals: strp("abc")},
			chunks: []string{"ab", "c\r\ndef\n"}, end: timeout,
			want: &ExpectResult{Data: "abc", Bytes: 3}, rest: "def\n"},
		{name: "line takes LF", m: Matcher{frame: frameLine},
			chunks: []string{"one\ntwo"}, end: timeout, want: &ExpectResult{Data: "one", Bytes: 3}, rest: "two"},
		{name: "line with exact ending", m: Matcher{frame: frameLine, delim: "\r\n"},
			chunks: []string{"a\nb\r\n"}, end: timeout, want: &ExpectResult{Data: "a\nb", Bytes: 3}},
		{name: "line match searches the line", m: Matcher{frame: frameLine, match: regexp.MustCompile(`^250[ -](.*)$`)},
			chunks: []string{"250-PIPELINING\r\n"}, end: timeout,
			want: &ExpectResult{Data: "250-PIPELINING", Bytes: 14, Groups: []string{"250-PIPELINING", "PIPELINING"}}},
		{name: "line mismatch", m: Matcher{frame: frameLine, equals: strp("OK")},
			chunks: []string{"NO\r\nOK\r\n"}, end: timeout,
			wantErr: `the line is "NO", want "OK"`, mis: true, rest: "OK\r\n"},
		{name: "until excludes the delimiter", m: Matcher{frame: frameUntil, delim: ";"},
			chunks: []string{"a;b;"}, end: timeout, want: &ExpectResult{Data: "a", Bytes: 1}, rest: "b;"},
		{name: "bytes", m: Matcher{frame: frameBytes, count: 3, contains: strp("b")},
			chunks: []string{"a", "bcd"}, end: timeout, want: &ExpectResult{Data: "abc", Bytes: 3}, rest: "d"},
		{name: "closed takes all", m: Matcher{frame: frameClosed, contains: strp("bye")},
			chunks: []string{"x", "bye"}, end: io.EOF, want: &ExpectResult{Data: "xbye", Bytes: 4, Closed: true}},
		{name: "closed mismatch", m: Matcher{frame: frameClosed, equals: strp("bye")},
			chunks: []string{"ciao"}, end: io.EOF, wantErr: `the data before the close is "ciao", want "bye"`, mis: true},
		{name: "closed times out", m: Matcher{frame: frameClosed},
			chunks: []string{"x"}, end: timeout, wantErr: "waiting for the peer to close the connection", mis: true, rest: "x"},
		{name: "nothing passes on silence", m: Matcher{nothing: true}, end: timeout, want: &ExpectResult{}},
		{name: "nothing fails on data", m: Matcher{nothing: true},
			chunks: []string{"hi"}, end: timeout, wantErr: "expected nothing, received 2 bytes", mis: true},
		{name: "nothing fails on close", m: Matcher{nothing: true}, end: io.EOF,
			wantErr: "expected nothing, but the peer closed the connection", mis: true},
		{name: "reject while waiting", m: Matcher{contains: strp("OK"), reject: regexp.MustCompile(`ERR\w*`)},
			chunks: []string{"working\r\n", "ERROR disk\r\n"}, end: timeout,
			wantErr: `received "ERROR", which matches reject /ERR\w*/`, mis: true},
		{name: "reject on the frame", m: Matcher{frame: frameLine, equals: strp("OK"), reject: regexp.MustCompile(`ERR`)},
			chunks: []string{"ERR x\nOK\n"}, end: timeout, wantErr: "matches reject", mis: true, rest: "OK\n"},
		{name: "reject does not look past the match", m: Matcher{frame: frameLine, equals: strp("OK"), reject: regexp.MustCompile(`ERR`)},
			chunks: []string{"OK\nERR\n"}, end: timeout, want: &ExpectResult{Data: "OK", Bytes: 2}, rest: "ERR\n"},
		{name: "peer closes mid-line", m: Matcher{frame: frameLine},
			chunks: []string{"partial"}, end: io.EOF,
			wantErr: "the peer closed the connection while we waited for a line (received 7 bytes, not a complete frame)", mis: true, rest: "partial"},
		{name: "partial line at the close", m: Matcher{frame: frameLine, partial: true, contains: strp("art")},
			chunks: []string{"par", "tial"}, end: io.EOF,
			want: &ExpectResult{Data: "partial", Bytes: 7, Partial: true, Closed: true}},
		{name: "partial line at the deadline", m: Matcher{frame: frameLine, partial: true},
			chunks: []string{"no newline"}, end: timeout,
			want: &ExpectResult{Data: "no newline", Bytes: 10, Partial: true}},
		{name: "partial takes a whole line when it comes", m: Matcher{frame: frameLine, partial: true},
			chunks: []string{"one\r\ntwo"}, end: io.EOF,
			want: &ExpectResult{Data: "one", Bytes: 3}, rest: "two"},
		{name: "partial still matches", m: Matcher{frame: frameLine, partial: true, equals: strp("echo: hi")},
			chunks: []string{"hi"}, end: io.EOF, wantErr: `the line is "hi", want "echo: hi"`, mis: true},
		{name: "partial still rejects", m: Matcher{frame: frameLine, partial: true, reject: regexp.MustCompile(`ERR`)},
			chunks: []string{"ERR"}, end: timeout, wantErr: "matches reject", mis: true},
		{name: "partial needs a byte at the close", m: Matcher{frame: frameLine, partial: true}, end: io.EOF,
			wantErr: "the peer closed the connection while we waited for a line (nothing received)", mis: true},
		{name: "partial needs a byte by the deadline", m: Matcher{frame: frameLine, partial: true}, end: timeout,
			wantErr: "waiting for a line (nothing received)", mis: true},
		{name: "partial closed at the deadline", m: Matcher{frame: frameClosed, partial: true, contains: strp("hi")},
			chunks: []string{"hi there"}, end: timeout,
			want: &ExpectResult{Data: "hi there", Bytes: 8, Partial: true}},
		{name: "partial closed at the close is whole", m: Matcher{frame: frameClosed, partial: true},
			chunks: []string{"hi"}, end: io.EOF, want: &ExpectResult{Data: "hi", Bytes: 2, Closed: true}},
		{name: "partial bytes", m: Matcher{frame: frameBytes, count: 4, partial: true},
			chunks: []string{"ab"}, end: io.EOF, want: &ExpectResult{Data: "ab", Bytes: 2, Partial: true, Closed: true}},
		{name: "partial until", m: Matcher{frame: frameUntil, delim: ";", partial: true},
			chunks: []string{"a;b"}, end: timeout, want: &ExpectResult{Data: "a", Bytes: 1}, rest: "b"},
		{name: "peer closes before a match", m: Matcher{contains: strp("220")}, end: io.EOF,
			wantErr: "the peer closed the connection while we waited for data that contains \"220\" (nothing received)", mis: true},
		{name: "timeout with data", m: Matcher{contains: strp("220")},
			chunks: []string{"hello"}, end: timeout,
			wantErr: `waiting for data that contains "220" (received 5 bytes without a match)`, mis: true, rest: "hello"},
		{name: "timeout without data", m: Matcher{frame: frameLine}, end: timeout,
			wantErr: "waiting for a line (nothing received)", mis: true},
		{name: "reset", m: Matcher{frame: frameLine}, end: syscall.ECONNRESET,
			wantErr: "read: the peer reset the connection"},
		{name: "data before a reset still matches", m: Matcher{frame: frameLine},
			chunks: []string{"last\n"}, end: syscall.ECONNRESET, want: &ExpectResult{Data: "last", Bytes: 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(&script{chunks: tt.chunks, end: tt.end}, 0)
			var seen strings.Builder
			got, err := tt.m.Read(context.Background(), r, func(b []byte) { seen.Write(b) })
			if tt.want != nil {
				if err != nil {
					t.Fatalf("error %v, want %+v", err, tt.want)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("got %+v, want %+v", got, tt.want)
				}
			} else {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				var m *engine.Mismatch
				if errors.As(err, &m) != tt.mis {
					t.Errorf("mismatch = %v, want %v (%T)", !tt.mis, tt.mis, err)
				}
			}
			if rest := string(r.Buffered()); rest != tt.rest {
				t.Errorf("buffered %q, want %q", rest, tt.rest)
			}
			if want := strings.Join(tt.chunks, ""); !strings.HasPrefix(want, seen.String()) {
				t.Errorf("recorded %q, not a prefix of %q", seen.String(), want)
			}
		})
	}
}

// TestMatcherRetryReadsNextLine shows that a failed line expect consumes
// its line, so that a retry looks at the next one.
func TestMatcherRetryReadsNextLine(t *testing.T) {
	r := NewReader(&script{chunks: []string{"WAIT\nWAIT\nREADY\n"}, end: os.ErrDeadlineExceeded}, 0)
	m := Matcher{frame: frameLine, equals: strp("READY")}
	fails := 0
	for {
		res, err := m.Read(context.Background(), r, nil)
		if err == nil {
			if res.Data != "READY" {
				t.Fatalf("data %q", res.Data)
			}
			break
		}
		if fails++; fails > 2 {
			t.Fatalf("still failing: %v", err)
		}
	}
	if fails != 2 {
		t.Errorf("%d failures, want 2", fails)
	}
}

// endless is a peer that floods: it never stops sending.
type endless struct{ sent int }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	e.sent += len(p)
	return len(p), nil
}

func TestMatcherFloodIsBounded(t *testing.T) {
	for _, m := range []Matcher{
		{contains: strp("END")},
		{frame: frameLine},
		{frame: frameUntil, delim: "\r\n.\r\n"},
		{frame: frameClosed},
		{match: regexp.MustCompile(`END`)},
	} {
		peer := &endless{}
		const max = 64 << 10
		r := NewReader(peer, max)
		_, err := m.Read(context.Background(), r, nil)
		var mis *engine.Mismatch
		if !errors.As(err, &mis) || !strings.HasPrefix(err.Error(), "received 64 KiB without a match") {
			t.Fatalf("%s: error %v, want a mismatch: received 64 KiB without a match", m.want(), err)
		}
		if len(mis.Received) != max {
			t.Errorf("%s: shows %d bytes, want the %d kept", m.want(), len(mis.Received), max)
		}
		if peer.sent > max || cap(r.buf) > max {
			t.Errorf("%s: read %d bytes, buffer cap %d; want both <= %d", m.want(), peer.sent, cap(r.buf), max)
		}
		if len(r.Buffered()) != 0 {
			t.Errorf("%s: %d bytes still buffered after a flood", m.want(), len(r.Buffered()))
		}
	}
}

func TestMatcherFits(t *testing.T) {
	r := NewReader(&script{end: io.EOF}, 16)
	if _, err := (&Matcher{frame: frameBytes, count: 17}).Read(context.Background(), r, nil); err == nil ||
		!strings.Contains(err.Error(), "more than max_buffer (16 bytes)") {
		t.Errorf("bytes over the cap: %v", err)
	}
	if _, err := (&Matcher{equals: strp(strings.Repeat("a", 17))}).Read(context.Background(), r, nil); err == nil ||
		!strings.Contains(err.Error(), "more than max_buffer") {
		t.Errorf("equals over the cap: %v", err)
	}
}

func TestMatcherInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := NewReader(&script{end: os.ErrDeadlineExceeded}, 0)
	_, err := (&Matcher{nothing: true}).Read(ctx, r, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want an interrupt, not a pass", err)
	}
}

func TestDatagram(t *testing.T) {
	m := &Matcher{match: regexp.MustCompile(`^i love (\w+)$`)}
	res, err := m.Datagram([]byte("i love me"), "127.0.0.1:9")
	if err != nil {
		t.Fatal(err)
	}
	want := &ExpectResult{Data: "i love me", Bytes: 9, Groups: []string{"i love me", "me"}, From: "127.0.0.1:9"}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("got %+v, want %+v", res, want)
	}
	if _, err := (&Matcher{equals: strp("i love me")}).Datagram([]byte("i love me\n"), "x"); err == nil ||
		!strings.Contains(err.Error(), `the datagram is "i love me\n", want "i love me"`) {
		t.Errorf("equals: %v", err)
	}
	if _, err := (&Matcher{nothing: true}).Datagram([]byte("x"), "127.0.0.1:9"); err == nil ||
		!strings.Contains(err.Error(), "expected nothing, received a datagram of 1 byte from 127.0.0.1:9") {
		t.Errorf("nothing: %v", err)
	}
	if _, err := (&Matcher{contains: strp("a"), reject: regexp.MustCompile("b")}).Datagram([]byte("ab"), "x"); err == nil ||
		!strings.Contains(err.Error(), "reject") {
		t.Errorf("reject: %v", err)
	}
	if res, err := (&Matcher{nothing: true}).NoDatagram(0); err != nil || res == nil {
		t.Errorf("nothing, silence: %v", err)
	}
	_, err = (&Matcher{contains: strp("x")}).NoDatagram(0)
	var mis *engine.Mismatch
	if !errors.As(err, &mis) || !strings.Contains(err.Error(), `waiting for a datagram that contains "x" (nothing received)`) {
		t.Errorf("silence: %v", err)
	}
}
