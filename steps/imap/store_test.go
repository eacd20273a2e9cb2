package imap_test

import (
	"bufio"
	"io"
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	netimap "github.com/netrunhq/netrun/steps/imap"
)

// TestStoreFlags adds, removes and sets flags with send: { store } and
// reads them in fetch results; the server's store is checked too.
func TestStoreFlags(t *testing.T) {
	s := newServer(t, serverOptions{})
	three(s)
	res := harness(t).Run("", `
name: store
steps:
  - connect: imap://ADDR
    auth: { user: alice, password: secret }
  - send: { store: { uids: [1, 3], add: ['\Flagged', '$homework'] } }
    assert:
      - result.mailbox == "INBOX"
      - result.uids == [1, 3]
      - map(result.messages, .uid) == [1, 3]
      - 'all(result.messages, "\\Flagged" in #.flags && "$homework" in #.flags)'
  - fetch: INBOX
    assert:
      - 'map(filter(result.messages, "\\Flagged" in #.flags), .uid) == [1, 3]'
      - result.messages[1].flags == []
  - send: { store: { mailbox: INBOX, uids: '3', remove: ['\Flagged'] } }
    assert: result.messages[0].flags == ["$homework"]
  - send: { store: { uids: '2:3', set: ['\Seen'] } }
    assert: 'map(result.messages, #.flags) == [["\\Seen"], ["\\Seen"]]'
  - send: { store: { uids: [], add: ['\Flagged'] } }
    assert: len(result.messages) == 0 && result.uids == []
`, "ADDR", s.addr)
	steptest.Check(t, res, slices.Repeat([]engine.Status{engine.Passed}, 6)...)
	got := s.flags("INBOX")
	want := map[uint32][]imap.Flag{1: {"$homework", imap.FlagFlagged}, 2: {imap.FlagSeen}, 3: {imap.FlagSeen}}
	for uid, w := range want {
		g := slices.Clone(got[uid])
		slices.Sort(g)
		slices.Sort(w)
		if !slices.Equal(g, w) {
			t.Errorf("UID %d has flags %v, want %v", uid, g, w)
		}
	}
	if tr := steptest.Transcript(res, 2); !strings.Contains(tr, `UID STORE 1,3 +FLAGS.SILENT (\\Flagged $homework)`) {
		t.Errorf("the transcript does not show UID STORE:\n%s", tr)
	}
	if _, ok := res.Steps[1].Result.(netimap.StoreResult); !ok {
		t.Errorf("store's result is a %T", res.Steps[1].Result)
	}
}

// TestRawCommand sends commands as they are: the tagged status, the
// untagged responses with a literal inside, a refusal as a result, and
// the library's own commands still working afterwards.
func TestRawCommand(t *testing.T) {
	s := newServer(t, serverOptions{})
	three(s)
	res := harness(t).Run("", `
name: command
steps:
  - connect: imap://ADDR
    auth: { user: alice, password: secret }
  - send: { command: NOOP }
    assert: result.ok && result.status == "OK" && result.lines == [] && result.tag == "N1"
  - send: { command: SELECT INBOX }
    assert:
      - result.ok
      - '"3 EXISTS" in result.lines'
      - result.text contains "READ-WRITE"
  - send: { command: 'UID FETCH 2 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])' }
    assert:
      - len(result.lines) == 1
      - 'result.lines[0] contains "Subject: the token-abc mail\r\n"'
  - send: { command: 'SELECT "No such box"' }
    assert: not result.ok && result.status == "NO"
  - send: { command: 'FROB' }
    assert: result.status == "BAD"
  - fetch: { search: { subject: token-abc } }
    assert: result.count == 1 && result.messages[0].uid == 2
  - send: { command: NOOP }
    assert: result.ok
`, "ADDR", s.addr)
	steptest.Check(t, res, slices.Repeat([]engine.Status{engine.Passed}, 8)...)
	if tr := steptest.Transcript(res, 2); !strings.Contains(tr, " NOOP\\r\\n") {
		t.Errorf("the transcript does not show the command:\n%s", tr)
	}
}

// TestRawCommandNoReply fails a command the server never answers within
// the step's timeout, and says so.
func TestRawCommandNoReply(t *testing.T) {
	addr := hookedServer(t, true, nil)
	res := harness(t).Run("", `
name: silent
steps:
  - connect: imap://ADDR
  - send: { command: NOOP }
    timeout: 300ms
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Failed)
	if msg := res.Steps[1].Failure.Message; !strings.Contains(msg, "command NOOP: no tagged response from the server within") {
		t.Errorf("failure: %s", msg)
	}
}

func TestStoreAndCommandLoadErrors(t *testing.T) {
	errs := harness(t).LoadErrors(`
name: bad
steps:
  - connect: imap://127.0.0.1:143
  - send: { store: { add: ['\Seen'] } }
  - send: { store: { uids: 1, add: ['\Seen'], remove: ['\Seen'] } }
  - send: { store: { uids: 1 } }
  - send: { command: STARTTLS }
  - send: { command: "NOOP\r\nNOOP" }
  - send: { command: 'APPEND INBOX {5}' }
  - send: { command: '' }
  - send: { store: { uids: 1, add: ['\Seen', 'two words'] } }
  - send: { command: 'NOOP {{ 1 + }}' }
    assert: result.lines == []
  - send: { append: { raw: x, flags: ['\Seen', 'bad flag'] } }
`)
	want := []string{
		`test.yaml:5:13: store takes uids`,
		`test.yaml:6:47: store has both add and remove`,
		`test.yaml:7:20: store needs one of add, remove or set`,
		`test.yaml:8:13: send: { command } does not take STARTTLS: use connect's starttls: true`,
		`test.yaml:9:13: command is one line`,
		`test.yaml:10:13: send: { command } does not take APPEND`,
		`test.yaml:11:`,
		`test.yaml:12:46: store: "two words" is not a flag`,
		`test.yaml:13:`, // the template only: lines is a field of the command's result
		`test.yaml:15:48: flags: "bad flag" is not a flag`,
	}
	if len(errs) != len(want) {
		t.Fatalf("errors:\n%s", strings.Join(errs, "\n"))
	}
	for i, w := range want {
		if !strings.Contains(errs[i], w) {
			t.Errorf("error %d %q does not contain %q", i+1, errs[i], w)
		}
	}
}

// TestRawCommandOverTLS parks the library's reader in the middle of a TLS
// read and gives the connection back to it: commands and library steps
// alternate on one implicit-TLS connection.
func TestRawCommandOverTLS(t *testing.T) {
	dir := t.TempDir()
	s := newServer(t, serverOptions{implicit: steptest.ServerTLS(t, dir)})
	three(s)
	res := harness(t).Run(dir, `
name: imaps command
steps:
  - connect: imaps://ADDR
    tls: { ca: ca.pem }
    auth: { user: alice, password: secret }
  - send: { command: 'EXAMINE INBOX' }
    assert: result.ok && "3 EXISTS" in result.lines
  - fetch: { search: { subject: hello } }
    assert: result.messages[0].uid == 1
  - send: { command: 'UID SEARCH ALL' }
    assert: result.lines == ["SEARCH 1 2 3"]
  - send: { store: { uids: 2, add: ['\Seen'] } }
    assert: result.messages[0].flags == ["\\Seen"]
  - send: { command: NOOP }
    assert: result.ok
`, "ADDR", s.addr)
	steptest.Check(t, res, slices.Repeat([]engine.Status{engine.Passed}, 6)...)
}

// TestRawCommandMidResponse: when the server is in the middle of a
// response nobody asked for as a command is due, the library's reader
// reads on; a server that never finishes it fails the step, and the
// command is never written.
func TestRawCommandMidResponse(t *testing.T) {
	addr := steptest.ServeEach(t, func(c net.Conn) {
		defer c.Close()
		_, _ = io.WriteString(c, "* OK [CAPABILITY IMAP4rev1] ready\r\n")
		r := bufio.NewReader(c)
		line, _ := r.ReadString('\n')
		tag, _, _ := strings.Cut(line, " ")
		_, _ = io.WriteString(c, tag+" OK [CAPABILITY IMAP4rev1] logged in\r\n* 1 FETCH (FLAGS (\\Seen")
		_, _ = io.Copy(io.Discard, r)
	})
	res := harness(t).Run("", `
name: mid-response
steps:
  - connect: imap://ADDR
    auth: { user: alice, password: secret }
  - send: { command: NOOP }
    timeout: 300ms
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Failed)
	if msg := res.Steps[1].Failure.Message; !strings.Contains(msg, "command NOOP: the server was sending a response nobody asked for, and did not finish it within") {
		t.Errorf("failure: %s", msg)
	}
	if tr := steptest.Transcript(res, 2); strings.Contains(tr, "NOOP") {
		t.Errorf("the command was written:\n%s", tr)
	}
}

// TestRawLoginHidesPassword checks that a password written in a raw
// LOGIN command reaches neither the step's name nor its transcript, as
// PASS does for ftp, pop3 and nntp.
func TestRawLoginHidesPassword(t *testing.T) {
	s := newServer(t, serverOptions{})
	res := harness(t).Run("", `
name: login
steps:
  - connect: imap://ADDR
  - send: { command: 'LOGIN alice "secret"' }
    assert: result.ok
`, "ADDR", s.addr)
	steptest.Check(t, res, engine.Passed, engine.Passed)
	name, tr := res.Steps[1].Name, steptest.Transcript(res, 2)
	for _, leak := range []string{`secret`} {
		if strings.Contains(name, leak) || strings.Contains(tr, leak) {
			t.Errorf("the password shows: name %q, transcript:\n%s", name, tr)
		}
	}
}
