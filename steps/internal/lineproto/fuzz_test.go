package lineproto

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
)

// fuzzConn returns a Conn (lines of at most maxLine bytes) that reads data,
// sent in pieces of split bytes (all at once for 0), then the peer's close.
func fuzzConn(t *testing.T, data []byte, split, maxLine int) *Conn {
	ours, theirs := net.Pipe()
	go func() {
		defer theirs.Close()
		for rest := data; len(rest) > 0; {
			n := len(rest)
			if split > 0 {
				n = min(n, split)
			}
			if _, err := theirs.Write(rest[:n]); err != nil {
				return
			}
			rest = rest[n:]
		}
	}()
	t.Cleanup(func() { ours.Close() })
	return New(ours, maxLine)
}

// fuzzCtx is long enough never to expire under a fuzzed input, which ends
// with the peer's close.
func fuzzCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// FuzzReadReply reads a fuzzed SMTP/FTP reply whole and in pieces and
// checks what ReadReply promises: a reply is its lines' raw bytes, a prefix
// of what was received; every raw line starts with the reply's 3-digit
// code; Text is Lines joined; the caps hold; a failure is a check failure
// showing what was received, at most the reply's cap; and the outcome does
// not depend on how the data is cut into reads.
func FuzzReadReply(f *testing.F) {
	for _, seed := range []string{
		"220 mail.example.test ESMTP Postfix\r\n",
		"250-mail.example.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n",
		"250-a\r\n251 b\r\n", "550 5.1.1 <x@y>: Recipient address rejected\r\n",
		"220", "22\r\n", "abc\r\n", "250-\n250 ok\n", "220 caf\xc3( \x00\r\n",
		"250-2.1.0 a\r\n250 2.1.0 b\r\n",
	} {
		f.Add([]byte(seed), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		whole, wErr := fuzzConn(t, data, 0, 256).ReadReply(fuzzCtx(t), nil)
		piece, pErr := fuzzConn(t, data, int(split%8)+1, 256).ReadReply(fuzzCtx(t), nil)
		if (wErr == nil) != (pErr == nil) || wErr == nil && !equalReplies(whole, piece) {
			t.Fatalf("whole: %+v, %v; in pieces: %+v, %v", whole, wErr, piece, pErr)
		}
		if wErr != nil {
			var m *engine.Mismatch
			if errors.As(wErr, &m) && len(m.Received) > MaxReplyBytes+256 {
				t.Fatalf("the failure shows %d bytes", len(m.Received))
			}
			return
		}
		checkReply(t, data, whole)
	})
}

func equalReplies(a, b Reply) bool {
	return a.Code == b.Code && a.Enhanced == b.Enhanced && a.Text == b.Text &&
		strings.Join(a.Lines, "\x00") == strings.Join(b.Lines, "\x00") && bytes.Equal(a.raw, b.raw)
}

// checkReply checks a reply read from data.
func checkReply(t *testing.T, data []byte, r Reply) {
	t.Helper()
	if !bytes.HasPrefix(data, r.raw) {
		t.Fatalf("raw %q is not what was received first", r.raw)
	}
	if r.Code < 0 || r.Code > 999 {
		t.Fatalf("code %d", r.Code)
	}
	if len(r.Lines) == 0 || len(r.Lines) > MaxReplyLines || len(r.raw) > MaxReplyBytes+256 {
		t.Fatalf("%d lines, %d bytes", len(r.Lines), len(r.raw))
	}
	if r.Text != strings.Join(r.Lines, "\n") {
		t.Fatalf("text %q is not the lines %q joined", r.Text, r.Lines)
	}
	code := []byte(r.raw[:3])
	for _, line := range bytes.SplitAfter(r.raw, []byte("\n")) {
		if len(line) > 0 && !bytes.HasPrefix(line, code) {
			t.Fatalf("line %q of a %s reply", line, code)
		}
	}
	if r.Enhanced != "" && !strings.HasPrefix(r.Enhanced, string(code[:1])+".") {
		t.Fatalf("enhanced %q in a %s reply", r.Enhanced, code)
	}
}

// FuzzReadStatus reads a fuzzed NNTP status line: on success the code is
// its first three digits and the text what follows the space.
func FuzzReadStatus(f *testing.F) {
	for _, seed := range []string{"200 news.example.test ready\r\n", "211 3 1 3 local.test\r\n", "205\r\n", "2000 x\r\n", "20 x\r\n", "200-x\r\n"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := fuzzConn(t, data, 0, 256).ReadStatus(fuzzCtx(t), nil)
		if err != nil {
			return
		}
		line, _, _ := bytes.Cut(data, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) < 3 || string(line[:3]) != strings.Repeat("0", 3-len(itoa(r.Code)))+itoa(r.Code) {
			t.Fatalf("code %d from %q", r.Code, line)
		}
		if len(line) > 3 && (line[3] != ' ' || r.Text != string(line[4:])) {
			t.Fatalf("text %q from %q", r.Text, line)
		}
	})
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// FuzzReadDotBlock reads a fuzzed dot-terminated block (a POP3 RETR, an
// NNTP ARTICLE), whole and in pieces, and compares it with a plain reading
// of the rules: lines up to the line ".", a leading dot removed, line
// endings kept, a line over the line cap or a block over the block cap
// fails; the bytes after the block stay for the next read.
func FuzzReadDotBlock(f *testing.F) {
	for _, seed := range []string{
		"Subject: x\r\n\r\n..leading dot\r\n.also\nlf line\n.\r\nnext\r\n",
		".\r\n", ".\n", "..\r\n.\r\n", "no end\r\n", ".x", "a\r\n.\r", strings.Repeat("y", 70) + "\r\n.\r\n",
		"\xff\x00\r\n.\r\n",
	} {
		f.Add([]byte(seed), uint8(0))
	}
	const maxLine, maxBlock = 64, 200
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		want, rest, ok := plainDotBlock(data, maxLine, maxBlock)
		for _, n := range []int{0, int(split%8) + 1} {
			c := fuzzConn(t, data, n, maxLine)
			got, err := c.readDotBlock(fuzzCtx(t), nil, maxBlock)
			if (err == nil) != ok || ok && !bytes.Equal(got, want) {
				t.Fatalf("pieces of %d: %q, %v; want %q (ok %v)", n, got, err, want, ok)
			}
			if err != nil {
				if c.Err() == nil {
					t.Fatal("the connection is still usable after a failed block")
				}
				continue
			}
			if len(got) > maxBlock {
				t.Fatalf("%d bytes over a cap of %d", len(got), maxBlock)
			}
			if len(rest) > 0 {
				if l, err := c.ReadLine(fuzzCtx(t), nil); err == nil && !bytes.HasPrefix(rest, []byte(l)) {
					t.Fatalf("after the block: %q, want the start of %q", l, rest)
				}
			}
		}
	})
}

// plainDotBlock reads a block by the rules, simply: it returns the block,
// what follows it and whether it is whole and within the caps.
func plainDotBlock(data []byte, maxLine, maxBlock int) (block, rest []byte, ok bool) {
	var out []byte
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return nil, nil, false
		}
		line := data[:i+1]
		data = data[i+1:]
		if len(line) > maxLine {
			return nil, nil, false
		}
		if string(line) == ".\r\n" || string(line) == ".\n" {
			return out, data, true
		}
		line = bytes.TrimPrefix(line, []byte("."))
		if len(out)+len(line) > maxBlock {
			return nil, nil, false
		}
		out = append(out, line...)
	}
	return nil, nil, false
}
