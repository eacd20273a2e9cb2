package nntp_test

import (
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/nntp"
)

// harness loads and runs scenarios with the nntp plugin.
func harness(t *testing.T) *steptest.Harness {
	t.Helper()
	return steptest.New(t, nntp.Plugin{})
}

// readerCaps is the CAPABILITIES dialogue of a reader server that offers
// OVER and AUTHINFO, and the tail of its capabilities after a login.
func readerCaps(extra ...string) steptest.Act {
	lines := append([]string{"VERSION 2", "READER", "OVER", "HDR", "LIST ACTIVE NEWSGROUPS OVERVIEW.FMT"}, extra...)
	return steptest.Dialogue("CAPABILITIES", "101 Capability list:\r\n"+strings.Join(lines, "\r\n")+"\r\n.\r\n")
}

// greet is the greeting and the capabilities of a reader server.
func greet() steptest.Act {
	return steptest.Seq(steptest.Say("201 news.example.test ready (no posting)\r\n"), readerCaps("AUTHINFO USER"))
}

// quit is the QUIT dialogue.
func quit() steptest.Act { return steptest.Dialogue("QUIT", "205 bye\r\n") }

// article is comp.lang.python's article 3 as ARTICLE sends it: dot-stuffed,
// with an RFC 2047 subject.
const article = "220 3 <c3@example.test> article\r\n" +
	"Path: news.example.test!not-for-mail\r\n" +
	"From: =?UTF-8?Q?J=C3=B6rg?= <joerg@example.test>\r\n" +
	"Newsgroups: comp.lang.python\r\n" +
	"Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n" +
	"Date: Mon, 02 Jun 2025 09:30:00 +0000\r\n" +
	"Message-ID: <c3@example.test>\r\n" +
	"\r\n" +
	"first line\r\n" +
	"..starts with a dot\r\n" +
	".\r\n"

func TestConnectLoginFetchLast(t *testing.T) {
	addr := steptest.Serve(t, nil,
		greet(),
		steptest.Dialogue("AUTHINFO USER alice", "381 password please\r\n"),
		steptest.Dialogue("AUTHINFO PASS canary-51", "281 welcome\r\n"),
		readerCaps("POST"),
		steptest.Dialogue("GROUP comp.lang.python", "211 3 1 3 comp.lang.python\r\n"),
		steptest.Dialogue("STAT 3", "223 3 <c3@example.test>\r\n"),
		steptest.Dialogue("ARTICLE 3", article),
		steptest.Dialogue("GROUP local.test", "211 0 1 0 local.test\r\n"),
		steptest.Dialogue("LIST OVERVIEW.FMT", "215 fields\r\nSubject:\r\nFrom:\r\n.\r\n"),
		steptest.Dialogue("DATE", "111 20250602093000\r\n"),
		quit(),
	)
	res := harness(t).Run("", `
name: nntp
secrets: { password: canary-51 }
steps:
  - connect: nntp://ADDR
    auth: { user: alice, password: '{{ password }}' }
    assert:
      - result.greeting.code == 201
      - result.greeting.text == "news.example.test ready (no posting)"
      - '"POST" in result.capabilities'
      - result.posting_allowed
      - not result.mode_reader
      - result.tls == nil
  - fetch: { group: comp.lang.python, article: last }
    assert:
      - result.group.name == "comp.lang.python" && result.group.count == 3
      - result.group.first == 1 && result.group.last == 3
      - result.number == 3
      - result.article.number == 3
      - result.article.subject == "Grüße"
      - result.article.from == "Jörg <joerg@example.test>"
      - result.article.message_id == "<c3@example.test>"
      - result.article.date == date("2025-06-02T09:30:00Z")
      - result.article.text == "first line\n.starts with a dot\n"
  - send: { command: GROUP local.test }
    assert:
      - result.code == 211 && result.text == "0 1 0 local.test"
      - result.data == [] && result.lines == ["0 1 0 local.test"]
  - send: { command: LIST OVERVIEW.FMT }
    assert:
      - result.code == 215
      - result.data == ["Subject:", "From:"]
      - result.lines == ["fields"]
  - send: { line: DATE }
  - expect: { code: 1xx, text: '^2025' }
    assert: result.code == 111
  - close: true
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
	if tr := steptest.Transcript(res, 1); strings.Contains(tr, "canary-51") || !strings.Contains(tr, "AUTHINFO PASS ***") {
		t.Errorf("the password is not redacted:\n%s", tr)
	}
	for i, want := range map[int]string{2: "nntp fetch article last of comp.lang.python", 3: `nntp send "GROUP local.test"`,
		6: "nntp expect 1xx text /^2025/"} {
		if got := res.Steps[i-1].Name; got != want {
			t.Errorf("step %d name %q, want %q", i, got, want)
		}
	}
}

func TestModeReaderAndArticleForms(t *testing.T) {
	// INN, when it takes the client for a peer, lists MODE-READER and not
	// READER: the reader sends MODE READER and asks again.
	addr := steptest.Serve(t, nil,
		steptest.Say("200 news.example.test InterNetNews server ready\r\n"),
		steptest.Dialogue("CAPABILITIES", "101 caps\r\nVERSION 2\r\nIHAVE\r\nMODE-READER\r\n.\r\n"),
		steptest.Dialogue("MODE READER", "201 NNRP server ready (no posting)\r\n"),
		readerCaps(),
		steptest.Dialogue("GROUP local.test", "211 9 2 40 local.test\r\n"),
		steptest.Dialogue("STAT 40", "423 no such article\r\n"),
		steptest.Dialogue("STAT 39", "423 no such article\r\n"),
		steptest.Dialogue("STAT 38", "223 38 <a38@example.test>\r\n"),
		steptest.Dialogue("ARTICLE 38", "220 38 <a38@example.test>\r\nSubject: 38\r\n\r\nbody\r\n.\r\n"),
		steptest.Dialogue("GROUP local.test", "211 9 2 40 local.test\r\n"),
		steptest.Dialogue("ARTICLE 7", "220 7 <a7@example.test>\r\nSubject: seven\r\n\r\n.\r\n"),
		steptest.Dialogue("ARTICLE <a7@example.test>", "220 0 <a7@example.test>\r\nSubject: seven\r\n\r\n.\r\n"),
		steptest.Dialogue("GROUP local.test", "211 9 2 40 local.test\r\n"),
		steptest.Dialogue("ARTICLE 41", "423 no article 41\r\n"),
		steptest.Dialogue("ARTICLE <gone@example.test>", "430 no such article\r\n"),
		quit(),
	)
	res := harness(t).Run("", `
name: forms
vars: { n: 7 }
steps:
  - connect: nntp://ADDR
    assert: [result.mode_reader, not result.posting_allowed, result.greeting.code == 200, '"READER" in result.capabilities']
  - fetch: { group: local.test }
    assert: [result.number == 38, result.article.subject == "38"]
  - fetch: { group: local.test, article: '{{ n }}' }
    assert: [result.number == 7, result.article.subject == "seven"]
  - fetch: { article: <a7@example.test> }
    assert: [result.number == 0, result.group.name == "", result.article.subject == "seven"]
  - fetch: { group: local.test, article: 41 }
    continue: true
  - fetch: { article: <gone@example.test> }
    continue: true
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Failed, engine.Failed)
	if tr := steptest.Transcript(res, 2); !strings.Contains(tr, "articles 39-40 of local.test are gone: the newest is 38") {
		t.Errorf("the step back is not noted:\n%s", tr)
	}
	f := steptest.Failure(t, res, 5, "ARTICLE 41 (423: no article with that number in local.test)", "423 no article 41")
	if f.Received != `"423 no article 41\r\n"` {
		t.Errorf("received %s", f.Received)
	}
	steptest.Failure(t, res, 6, "430: no article with that message-id")
}

func TestSTARTTLSAndImplicit(t *testing.T) {
	dir := t.TempDir()
	cfg := steptest.ServerTLS(t, dir)
	starttls := steptest.Serve(t, nil,
		steptest.Say("200 ready\r\n"), readerCaps("STARTTLS", "AUTHINFO USER"),
		steptest.Dialogue("STARTTLS", "382 go ahead\r\n"),
		steptest.Upgrade(cfg),
		readerCaps("AUTHINFO USER"),
		steptest.Dialogue("AUTHINFO USER bob", "281 no password needed\r\n"),
		readerCaps("POST"),
		quit(),
	)
	implicit := steptest.Serve(t, cfg, steptest.Say("200 ready\r\n"), readerCaps("POST"), quit())
	missing := steptest.Serve(t, nil, greet(), steptest.ListenToEnd())
	res := harness(t).Run(dir, `
name: tls
steps:
  - connect: nntp://STARTTLS
    starttls: true
    tls: { ca: ca.pem }
    auth: { user: bob, password: x }
    assert:
      - result.tls.version == "1.3"
      - result.capabilities[len(result.capabilities) - 1] == "POST"
  - connect: nntps://IMPLICIT
    tls: { ca: ca.pem }
    assert: [result.tls != nil, result.posting_allowed]
  - connect: nntp://MISSING
    tls_mode: starttls
`, "STARTTLS", starttls, "IMPLICIT", implicit, "MISSING", missing)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Errored)
	steptest.Failure(t, res, 3, "does not offer STARTTLS", "AUTHINFO USER")
}

func TestRefusals(t *testing.T) {
	for _, tc := range []struct {
		name   string
		acts   []steptest.Act
		step   string
		status engine.Status
		want   []string
	}{
		{"bad password", []steptest.Act{greet(),
			steptest.Dialogue("AUTHINFO USER alice", "381 password\r\n"),
			steptest.Dialogue("AUTHINFO PASS canary-7", "481 authentication failed for canary-7\r\n")},
			"auth: { user: alice, password: '{{ password }}' }", engine.Failed,
			[]string{"login as alice (481: the user name or the password was refused)", "481 authentication failed"}},
		{"auth unavailable", []steptest.Act{greet(),
			steptest.Dialogue("AUTHINFO USER alice", "502 not available\r\n")},
			"auth: { user: alice, password: '{{ password }}' }", engine.Failed, []string{"502: AUTHINFO is not available"}},
		{"service unavailable", []steptest.Act{steptest.Say("502 you are not welcome\r\n")},
			"", engine.Failed, []string{"the server refused the session", "502 you are not welcome"}},
		{"silent server", []steptest.Act{steptest.ListenToEnd()},
			"timeout: 200ms", engine.Failed, []string{"greeting: timed out", "waiting for a reply (nothing received)"}},
		{"not a status line", []steptest.Act{steptest.Say("hello there\r\n")},
			"", engine.Failed, []string{`"hello there\r\n" is not a reply line`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := steptest.Serve(t, nil, append(tc.acts, steptest.ListenToEnd())...)
			res := harness(t).Run("", `
name: refused
secrets: { password: canary-7 }
steps:
  - connect: nntp://ADDR
    OPTS
`, "ADDR", addr, "OPTS", tc.step)
			steptest.Check(t, res, tc.status)
			f := steptest.Failure(t, res, 1, tc.want...)
			if strings.Contains(f.Message+f.Received+steptest.Transcript(res, 1), "canary-7") {
				t.Errorf("the password shows: %s %s", f.Message, f.Received)
			}
		})
	}
}

func TestGroupMissingAndEmpty(t *testing.T) {
	addr := steptest.Serve(t, nil, greet(),
		steptest.Dialogue("GROUP no.such.group", "411 no such group\r\n"),
		steptest.Dialogue("GROUP local.empty", "211 0 5 4 local.empty\r\n"),
		steptest.Dialogue("GROUP local.empty", "211 0 5 4 local.empty\r\n"),
		steptest.Dialogue("GROUP local.odd", "211 lots of them\r\n"),
		quit(),
	)
	res := harness(t).Run("", `
name: groups
defaults: { continue: true }
steps:
  - connect: nntp://ADDR
  - fetch: { group: no.such.group }
  - fetch: { group: local.empty }
  - fetch: { overview: { group: local.empty } }
    assert:
      - len(result.entries) == 0
      - result.group.count == 0
  - fetch: { group: local.odd, article: 1 }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Failed, engine.Failed, engine.Passed, engine.Failed)
	steptest.Failure(t, res, 2, "GROUP no.such.group (411: no such group): the server answered 411 no such group")
	steptest.Failure(t, res, 3, "group local.empty has no articles")
	steptest.Failure(t, res, 5, "expected 211 COUNT FIRST LAST NAME, got 211 lots of them")
}

func TestEndlessArticleIsCapped(t *testing.T) {
	addr := steptest.Serve(t, nil, greet(),
		steptest.Dialogue("GROUP local.test", "211 1 1 1 local.test\r\n"),
		steptest.Dialogue("ARTICLE 1", "220 1 <big@example.test>\r\nSubject: big\r\n\r\n"),
		endlessLines(),
	)
	res := harness(t).Run("", `
name: endless
steps:
  - connect: nntp://ADDR
  - fetch: { group: local.test, article: 1, max_size: 64KiB }
    continue: true
  - send: { command: DATE }
`, "ADDR", addr)
	// The article over the cap fails its step; the step after it cannot
	// run on the connection left out of step.
	steptest.Check(t, res, engine.Passed, engine.Failed, engine.Errored)
	steptest.Failure(t, res, 2, "ARTICLE: the block is larger than 64 KiB")
	steptest.Failure(t, res, 3, "cannot be used", "the response to ARTICLE was cut off")
}

// endlessLines sends short lines without end, until the client goes away.
func endlessLines() steptest.Act {
	return func(p *steptest.Peer) error {
		line := []byte(strings.Repeat("y", 70) + "\r\n")
		for {
			if _, err := p.Conn.Write(line); err != nil {
				return nil
			}
		}
	}
}

func TestQuitWaitIsBounded(t *testing.T) {
	// A server that never answers QUIT does not hold up the end.
	addr := steptest.Serve(t, nil, greet(), steptest.HearLine("QUIT"), steptest.ListenToEnd())
	res := harness(t).Run("", "name: q\nsteps:\n  - connect: nntp://ADDR\n  - close: true\n    timeout: 200ms\n", "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed)
}
