package imap_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	netimap "github.com/netrunhq/netrun/steps/imap"
)

// three fills INBOX with three messages, UIDs 1 to 3.
func three(s *server) {
	s.add("INBOX", mail("hello one", "tok-1", "first body"), time.Time{})
	s.add("INBOX", mail("the token-abc mail", "tok-abc", "second body\n.with a dot line"), time.Time{})
	s.add("INBOX", mail("other", "tok-3", "third body"), time.Time{})
}

func TestLoginSearchPeek(t *testing.T) {
	s := newServer(t, serverOptions{})
	three(s)
	res := harness(t).Run("", `
name: search
secrets: { password: secret }
steps:
  - connect: imap://ADDR
    auth: { user: alice, password: '{{ password }}' }
    assert:
      - '"UIDPLUS" in result.capabilities'
      - '"MOVE" in result.capabilities'
      - result.tls == nil
  - fetch: { search: { subject: token-abc } }
    assert:
      - result.count == 1
      - result.total == 3
      - result.mailbox == "INBOX"
      - result.messages[0].uid == 2
      - result.messages[0].subject == "the token-abc mail"
      - result.messages[0].text == "second body\n.with a dot line\n"
      - result.messages[0].message_id == "<tok-abc@example.test>"
      - result.messages[0].headers["X-Netrun-Token"] == "tok-abc"
  - fetch: { search: { header: { X-Netrun-Token: tok-3 } } }
    assert:
      - result.count == 1
      - result.messages[0].subject == "other"
  - fetch: { search: { unseen: true, from: alice@example.test, to: bob } }
    assert: result.count == 3
  - fetch: { limit: 2 }
    assert:
      - result.count == 3
      - map(result.messages, .uid) == [2, 3]
  - fetch: { search: { text: third body } }
    assert: map(result.messages, .subject) == ["other"]
  - fetch: { search: { subject: nothing-like-this } }
    assert:
      - result.count == 0
      - len(result.messages) == 0
  - fetch: INBOX
    assert: result.count == 3
  - fetch: { search: { unseen: true } }
    assert: result.count == 3
`, "ADDR", s.addr)
	steptest.Check(t, res, slices.Repeat([]engine.Status{engine.Passed}, 9)...)
	for uid, flags := range s.flags("INBOX") {
		if slices.Contains(flags, imap.FlagSeen) {
			t.Errorf("message UID %d is \\Seen after fetch: %v", uid, flags)
		}
	}
	tr := steptest.Transcript(res, 1)
	if strings.Contains(tr, "secret") || !strings.Contains(tr, `LOGIN \"alice\" \"***\"`) {
		t.Errorf("the password is not redacted in the transcript:\n%s", tr)
	}
	if tr := steptest.Transcript(res, 2); !strings.Contains(tr, "UID SEARCH") || !strings.Contains(tr, "BODY.PEEK[]") || !strings.Contains(tr, "EXAMINE") {
		t.Errorf("the transcript does not show UID SEARCH, EXAMINE and BODY.PEEK[]:\n%s", tr)
	}
	got := res.Steps[1].Result.(netimap.FetchResult).Messages[0]
	if got.From != "Alice <alice@example.test>" || !slices.Equal(got.To, []string{"bob@example.test"}) {
		t.Errorf("from %q to %q", got.From, got.To)
	}
}

func TestLoginRejected(t *testing.T) {
	s := newServer(t, serverOptions{})
	res := harness(t).Run("", `
name: bad password
secrets: { password: canary-5e1 }
steps:
  - connect: imap://ADDR
    auth: { user: alice, password: '{{ password }}' }
`, "ADDR", s.addr)
	steptest.Check(t, res, engine.Failed)
	msg := steptest.Failure(t, res, 1, "login as alice", "the server answered NO").Message
	if strings.Contains(msg+steptest.Transcript(res, 1), "canary-5e1") {
		t.Errorf("the password shows: %s\n%s", msg, steptest.Transcript(res, 1))
	}
}

func TestAuthPlainRedacted(t *testing.T) {
	s := newServer(t, serverOptions{})
	res := harness(t).Run("", `
name: plain
secrets: { password: secret }
steps:
  - connect: imap://ADDR
    auth: { user: alice, password: '{{ password }}', mechanism: plain }
  - fetch: INBOX
    assert: result.total == 0
`, "ADDR", s.addr)
	steptest.Check(t, res, engine.Passed, engine.Passed)
	// base64("\x00alice\x00secret")
	if tr := steptest.Transcript(res, 1); strings.Contains(tr, "AGFsaWNlAHNlY3JldA") || !strings.Contains(tr, "AUTHENTICATE PLAIN") {
		t.Errorf("the AUTHENTICATE PLAIN blob is not redacted:\n%s", tr)
	}
}

func TestSince(t *testing.T) {
	s := newServer(t, serverOptions{})
	s.add("INBOX", mail("old", "t1", "x"), time.Now().Add(-72*time.Hour))
	s.add("INBOX", mail("an hour ago", "t2", "x"), time.Now().Add(-time.Hour))
	s.add("INBOX", mail("new", "t3", "x"), time.Now())
	res := harness(t).Run("", `
name: since
steps:
  - connect: imap://ADDR
    auth: { user: alice, password: secret }
  - fetch: { search: { since: 10m } }
    assert: map(result.messages, .subject) == ["new"]
  - fetch: { search: { since: 2d } }
    assert: map(result.messages, .subject) == ["an hour ago", "new"]
  - fetch: { search: { since: '{{ now() }}' } }
    assert: result.count == 0
`, "ADDR", s.addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
}

func TestDeleteMoveAppendCreate(t *testing.T) {
	for _, tc := range []struct {
		name string
		caps []imap.Cap
	}{{"uidplus and move", nil}, {"plain imap4rev1", []imap.Cap{}}, {"imap4rev2", []imap.Cap{imap.CapIMAP4rev2}}} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, serverOptions{caps: tc.caps})
			three(s)
			res := harness(t).Run("", `
name: change mailboxes
steps:
  - connect: imap://ADDR
    auth: { user: alice, password: secret }
  - send: { create: Archive }
    assert: result.mailbox == "Archive"
  - fetch: { search: { subject: hello }, delete: true }
    assert: map(result.messages, .uid) == [1]
  - fetch: { search: { subject: other }, move: Archive }
    assert: result.messages[0].uid == 3
  - fetch: Archive
    assert: map(result.messages, .subject) == ["other"]
  - send:
      append:
        mailbox: Archive
        mail: { from: alice@example.test, to: [bob@example.test], subject: appended, text: hi there,
                headers: { X-Netrun-Token: app-1 } }
    id: app
    assert:
      - result.mailbox == "Archive"
      - result.size > 0
      - result.message_id startsWith "<"
  - fetch: { mailbox: Archive, search: { header: { X-Netrun-Token: app-1 } } }
    assert:
      - result.messages[0].text == "hi there"
      - result.messages[0].message_id == steps.app.message_id
  - send: { append: { raw: "From: x@example.test\nSubject: raw one\n\nraw body\n", flags: ['\Seen'] } }
  - fetch: { search: { subject: raw one } }
    assert: result.messages[0].text == "raw body\n"
  - fetch: { search: { unseen: true } }
    assert: map(result.messages, .subject) == ["the token-abc mail"]
  - send: { move: { uids: [2], to: Archive } }
    assert: result.uids == [2]
  - fetch: { mailbox: Archive, search: { subject: token-abc } }
    id: ta
  - send: { delete: { mailbox: Archive, uids: '{{ steps.ta.messages[0].uid }}' } }
    assert: result.uids == [steps.ta.messages[0].uid]
  - fetch: Archive
    assert: map(result.messages, .subject) == ["other", "appended"]
  - send: { delete: { uids: [] } }
  - fetch: INBOX
    assert: map(result.messages, .subject) == ["raw one"]
  - send: { create: Trash }
  - send: { delete: Trash }
`, "ADDR", s.addr)
			steptest.Check(t, res, slices.Repeat([]engine.Status{engine.Passed}, 18)...)
			if n := s.count("Archive"); n != 2 {
				t.Errorf("Archive holds %d messages, want 2 (other, appended)", n)
			}
			uidPlus := tc.caps == nil || slices.Contains(tc.caps, imap.CapIMAP4rev2)
			if app := res.Steps[5].Result.(netimap.SendResult); uidPlus && app.UID == 0 {
				t.Errorf("append with UIDPLUS gave no UID")
			}
		})
	}
}

func TestMissingMailbox(t *testing.T) {
	s := newServer(t, serverOptions{})
	three(s)
	res := harness(t).Run("", `
name: missing
steps:
  - connect: imap://ADDR
    auth: { user: alice, password: secret }
  - fetch: { mailbox: Nope }
    continue: true
  - send: { append: { mailbox: Nope, raw: "Subject: x\n\ny\n" } }
    continue: true
  - send: { move: { uids: [1], to: Nope } }
    continue: true
  - send: { delete: Nope }
    continue: true
  - fetch: INBOX
    assert: result.count == 3
`, "ADDR", s.addr)
	steptest.Check(t, res, engine.Passed, engine.Errored, engine.Errored, engine.Errored, engine.Errored, engine.Passed)
	steptest.Failure(t, res, 2, `EXAMINE "Nope"`, "the server answered NO", "No such mailbox")
	steptest.Failure(t, res, 3, `APPEND to "Nope"`, "No such mailbox")
	steptest.Failure(t, res, 4, `UID MOVE to "Nope"`, "No such mailbox")
	steptest.Failure(t, res, 5, `DELETE "Nope"`, "No such mailbox")
}

func TestMaxSize(t *testing.T) {
	s := newServer(t, serverOptions{})
	s.add("INBOX", mail("big", "t", strings.Repeat("a line of text\n", 500)), time.Time{})
	s.add("INBOX", mail("small", "t", "x"), time.Time{})
	res := harness(t).Run("", `
name: too big
steps:
  - connect: imap://ADDR
    auth: { user: alice, password: secret }
  - fetch: { max_size: 4KiB }
    continue: true
  - fetch: { search: { subject: small }, max_size: 4KiB }
    assert: result.messages[0].subject == "small"
`, "ADDR", s.addr)
	steptest.Check(t, res, engine.Passed, engine.Failed, engine.Passed)
	steptest.Failure(t, res, 2, "message UID 1 is", "more than max_size (4 KiB)")
}

func TestIdleBetweenSteps(t *testing.T) {
	s := newServer(t, serverOptions{})
	three(s)
	res := harness(t).Run("", `
name: idle
steps:
  - connect: imap://ADDR
    auth: { user: alice, password: secret }
    timeout: 2s
  - fetch: { limit: 1 }
    timeout: 500ms
  - sleep: 800ms
  - fetch: { limit: 1 }
    assert: result.messages[0].uid == 3
`, "ADDR", s.addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
}

func TestPasswordWithLineBreakRedacted(t *testing.T) {
	s := newServer(t, serverOptions{})
	res := harness(t).Run("", `
name: odd password
secrets: { password: "first\nsecond-canary" }
steps:
  - connect: imap://ADDR
    auth: { user: alice, password: '{{ password }}' }
`, "ADDR", s.addr)
	steptest.Check(t, res, engine.Failed)
	tr := steptest.Transcript(res, 1) + steptest.Failure(t, res, 1, "login as alice").Message
	if strings.Contains(tr, "second-canary") || strings.Contains(tr, "first") {
		t.Errorf("the password shows:\n%s", tr)
	}
}

// TestMailNeverArrives checks what a retry that waits for a mail in vain
// says: how long, how many attempts, and what it last saw.
func TestMailNeverArrives(t *testing.T) {
	s := newServer(t, serverOptions{})
	res := harness(t).Run("", `
name: never
steps:
  - connect: imap://ADDR
    auth: { user: alice, password: secret }
  - fetch: { search: { subject: token-123 } }
    retry: { until: result.count > 0, every: 50ms, within: 300ms }
`, "ADDR", s.addr)
	steptest.Check(t, res, engine.Passed, engine.Failed)
	steptest.Failure(t, res, 2, "waited ", " attempts, last saw 0 messages in INBOX; last: until result.count > 0 does not hold (result.count = 0)")
}
