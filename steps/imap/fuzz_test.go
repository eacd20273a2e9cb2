package imap

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// feedIn feeds data to a new framer in pieces of split bytes (all at once
// for 0) and returns the error and how many bytes were taken before it.
func feedIn(data []byte, split int, maxLiteral int64) (int, error) {
	f := &framer{maxLiteral: maxLiteral}
	taken := 0
	for rest := data; len(rest) > 0; {
		n := len(rest)
		if split > 0 {
			n = min(n, split)
		}
		if err := f.feed(rest[:n]); err != nil {
			return taken, err
		}
		taken += n
		rest = rest[n:]
	}
	return taken, nil
}

// FuzzFramer feeds fuzzed server output to the framer that caps what the
// IMAP library reads, whole and in pieces: it cuts at the same point
// however the data is cut into reads, only with a check failure that
// names a cap, and never on data whose lines and literals are all within
// the caps.
func FuzzFramer(f *testing.F) {
	for _, seed := range []string{
		"* OK [CAPABILITY IMAP4rev1] ready\r\n",
		"* 1 FETCH (UID 5 BODY[] {11}\r\nHello\r\nWorld)\r\nT1 OK done\r\n",
		"* LIST () \"/\" {104857600}\r\nxxxx", "* OK {5+}\r\nab\r\nc\r\n", "* 1 FETCH (BINARY[] ~{3}\r\n\x00\x01\x02)\r\n",
		"* OK {99999999999999999999999}\r\n", "* OK {}\r\n", "* OK {12a}\r\n", "\n\n\n",
	} {
		f.Add([]byte(seed), uint8(0))
	}
	const maxLiteral = 64
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		wTaken, wErr := feedIn(data, 0, maxLiteral)
		_, pErr := feedIn(data, int(split%16)+1, maxLiteral)
		if (wErr == nil) != (pErr == nil) || wErr != nil && wErr.Error() != pErr.Error() {
			t.Fatalf("whole: %v; in pieces: %v", wErr, pErr)
		}
		if wErr == nil {
			// The first line announces no literal over the cap.
			if first, _, found := bytes.Cut(data, []byte("\n")); found {
				if n, ok := literalAtEnd(first); ok && n > maxLiteral {
					t.Fatalf("a literal of %d passed a cap of %d", n, maxLiteral)
				}
			}
			return
		}
		var m *engine.Mismatch
		if !errors.As(wErr, &m) || !strings.Contains(m.Msg, "cap") || wTaken != 0 {
			t.Fatalf("cut with %v (%T)", wErr, wErr)
		}
		if len(m.Received) > excerptSize {
			t.Fatalf("the cut shows %d bytes", len(m.Received))
		}
		if _, err := feedIn(data, 0, maxLiteral); err == nil {
			t.Fatal("not the same twice")
		}
	})
}

// FuzzGreeting hands fuzzed server output, then the server's close, to the
// IMAP client on netrun's connection, as connect reads a greeting and
// capabilities, and checks that the step ends with a result or a reason
// in netrun's words: no panic, no hang, none of the library's grammar.
func FuzzGreeting(f *testing.F) {
	for _, seed := range []string{
		"* OK [CAPABILITY IMAP4rev1] ready\r\n", "* OK ready\r\n* CAPABILITY IMAP4rev1\r\nT1 OK done\r\n",
		"* PREAUTH hi\r\n", "* BYE go away\r\n", "* OK [CAPABILITY", "* OK ready\r\n* CAPABILITY {3}\r\nabc\r\n",
		"garbage\r\n", "* OK caf\xc3( \x00\r\n", "+ go on\r\n", "* OK [ALERT] {2}\r\nhi\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ours, theirs := net.Pipe()
		go func() {
			defer theirs.Close()
			go func() { _, _ = theirs.Read(make([]byte, 4096)) }() // what the client sends
			_, _ = theirs.Write(data)
		}()
		sc := newStepConn(ours, ours)
		c := &conn{client: imapclient.New(sc, nil), sc: sc, remote: "pipe"}
		defer c.client.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		end := c.sc.begin(ctx)
		defer end()
		var err error
		done := make(chan error, 1)
		go func() {
			err := c.client.WaitGreeting()
			if err != nil {
				err = c.fail(ctx, "greeting", err)
			}
			done <- err
		}()
		select {
		case err = <-done:
		case <-time.After(9 * time.Second):
			t.Fatal("the greeting never ended")
		}
		if err == nil {
			return
		}
		for _, bad := range []string{"imapwire", "imapclient", "in response", "resp-text", "read pipe", "io: read/write on closed pipe"} {
			if strings.Contains(err.Error(), bad) {
				t.Fatalf("the reason shows %q: %v", bad, err)
			}
		}
	})
}

// FuzzCommand hands fuzzed server output to the IMAP client as the answer
// to a greeting, SELECT and a FETCH of bodies (literals, under the caps),
// and checks that each ends with a result or a reason in netrun's words.
func FuzzCommand(f *testing.F) {
	for _, seed := range []string{
		"* OK [CAPABILITY IMAP4rev1] hi\r\n* 2 EXISTS\r\nT1 OK [READ-WRITE] done\r\n* 1 FETCH (UID 7 BODY[] {5}\r\nhello)\r\nT2 OK done\r\n",
		"* OK hi\r\nT1 NO [NONEXISTENT] no such mailbox\r\n",
		"* OK hi\r\nT1 OK done\r\n* 1 FETCH (UID 7 BODY[] {500}\r\nshort",
		"* OK hi\r\nT1 OK done\r\n* 1 FETCH (UID 7 BODY[] {99999999}\r\n",
		"* OK hi\r\nT1 OK done\r\n* 1 FETCH (UID 7 BODY[] NIL)\r\nT2 OK done\r\n",
		"* OK hi\r\nT1 BAD what\r\nT2 OK done\r\n", "* OK hi\r\n* 1 FETCH (",
	} {
		f.Add([]byte(seed))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	defer ln.Close()
	f.Fuzz(func(t *testing.T, data []byte) {
		ours := steptest.ServeOnce(t, ln, data)
		sc := newStepConn(ours, ours)
		c := &conn{client: imapclient.New(sc, nil), sc: sc, remote: "loopback"}
		defer c.client.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		end := c.sc.begin(ctx)
		defer end()
		c.sc.setMaxLiteral(64)
		done := make(chan error, 1)
		go func() { done <- dialogue(ctx, c) }()
		var err error
		select {
		case err = <-done:
		case <-time.After(9 * time.Second):
			t.Fatal("the dialogue never ended")
		}
		if err == nil {
			return
		}
		for _, bad := range []string{"imapwire", "imapclient", "in response", "resp-text", "read tcp", "write tcp", "use of closed"} {
			if strings.Contains(err.Error(), bad) {
				t.Fatalf("the reason shows %q: %v", bad, err)
			}
		}
	})
}

// dialogue runs the greeting, SELECT INBOX and UID FETCH 1:* BODY.PEEK[],
// reading each body as fetch does, and returns the first failure in
// netrun's words.
func dialogue(ctx context.Context, c *conn) error {
	if err := c.client.WaitGreeting(); err != nil {
		return c.fail(ctx, "greeting", err)
	}
	if _, err := c.client.Select("INBOX", nil).Wait(); err != nil {
		return c.fail(ctx, "SELECT", err)
	}
	cmd := c.client.Fetch(imap.UIDSetNum(1, 2), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{{Peek: true}}})
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		for item := msg.Next(); item != nil; item = msg.Next() {
			if it, ok := item.(imapclient.FetchItemDataBodySection); ok && it.Literal != nil {
				b := make([]byte, min(it.Literal.Size(), 64))
				if _, err := io.ReadFull(it.Literal, b); err != nil {
					_ = cmd.Close()
					return c.fail(ctx, "UID FETCH", err)
				}
			}
		}
	}
	if err := cmd.Close(); err != nil {
		return c.fail(ctx, "UID FETCH", err)
	}
	return nil
}
