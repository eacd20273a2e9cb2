package nntp_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// hearArticle reads a dot-terminated article and hands it, as received
// (dot-stuffed, CRLF line ends, without the final "."), to check.
func hearArticle(got *string) steptest.Act {
	return func(p *steptest.Peer) error {
		var b strings.Builder
		for {
			line, err := p.R.ReadString('\n')
			if err != nil {
				return fmt.Errorf("article: %w", err)
			}
			if line == ".\r\n" {
				*got = b.String()
				return nil
			}
			b.WriteString(line)
		}
	}
}

func TestPost(t *testing.T) {
	var got string
	addr := steptest.Serve(t, nil, greet(),
		steptest.Dialogue("AUTHINFO USER alice", "381 password\r\n"),
		steptest.Dialogue("AUTHINFO PASS secret", "281 ok\r\n"),
		readerCaps("POST"),
		steptest.Dialogue("POST", "340 send article\r\n"),
		hearArticle(&got),
		steptest.Say("240 article received ok\r\n"),
		quit(),
	)
	res := harness(t).Run("", `
name: post
vars: { groups: [local.test, comp.lang.python] }
steps:
  - connect: nntp://ADDR
    auth: { user: alice, password: secret }
  - send:
      post:
        newsgroups: '{{ groups }}'
        from: 'Jörg <joerg@example.test>'
        subject: Grüße aus netrun, a subject long enough for the builder to fold it
        body: "first line\n.starts with a dot\nÜmlaut"
        headers: { References: <c3@example.test> }
    assert:
      - result.reply.code == 240
      - len(result.replies) == 2 && result.replies[0].code == 340
      - result.message_id matches "^<netrun\\.[0-9a-f]+@example\\.test>$"
      - result.size > 100
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed)
	for _, want := range []string{
		"\r\nNewsgroups: local.test,comp.lang.python\r\n",
		"\r\nSubject: =?UTF-8?q?Gr=C3=BC=C3=9Fe_aus_netrun", // never "Subject:" alone on its line
		"\r\nReferences: <c3@example.test>\r\n",
		"\r\nContent-Transfer-Encoding: 8bit\r\n",
		"\r\n\r\nfirst line\r\n..starts with a dot\r\nÜmlaut\r\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the article lacks %q:\n%s", want, got)
		}
	}
	if name := res.Steps[1].Name; name != "nntp post to local.test,comp.lang.python" {
		t.Errorf("name %q", name)
	}
}

func TestPostRefused(t *testing.T) {
	addr := steptest.Serve(t, nil, greet(),
		steptest.Dialogue("POST", "440 posting not permitted\r\n"),
		steptest.Dialogue("POST", "480 authentication required\r\n"),
		steptest.Dialogue("POST", "340 go on\r\n"),
		hearArticle(new(string)),
		steptest.Say("441 437 Article rejected: bad Newsgroups\r\n"),
		quit(),
	)
	res := harness(t).Run("", `
name: refused
defaults: { continue: true }
vars:
  post: { newsgroups: local.test, from: a@example.test, subject: s, body: b }
steps:
  - connect: nntp://ADDR
  - send: { post: { newsgroups: local.test, from: a@example.test, subject: s } }
    assert: result.reply.code == 440
  - send: { post: { newsgroups: local.test, from: a@example.test, subject: s } }
  - send:
      post: { newsgroups: local.test, from: a@example.test, subject: s, headers: { Message-ID: <fixed@example.test> } }
    id: third
  - assert: steps.third.message_id == "<fixed@example.test>" && steps.third.reply.code == 441
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Failed, engine.Failed, engine.Failed, engine.Passed)
	f := steptest.Failure(t, res, 2, "POST (440: posting is not allowed on this connection): the server answered 440 posting not permitted")
	if f.Received != `"440 posting not permitted\r\n"` {
		t.Errorf("received %s", f.Received)
	}
	steptest.Failure(t, res, 3, "480: log in first")
	steptest.Failure(t, res, 4, "POST <fixed@example.test> (441: the server refused the article)", "441 437 Article rejected")
}

func TestLoadErrors(t *testing.T) {
	errs := harness(t).LoadErrors(`name: errors
steps:
  - connect: nntp://127.0.0.1
    auth: { user: a, password: b, mechanism: sasl }
  - fetch: { article: 5 }
  - fetch: { group: g, article: "<a b>" }
  - fetch: { group: g, overview: { group: g } }
  - fetch: { overview: { last: 0 } }
  - send: { post: { from: a@example.test, headers: { Newsgroups: x, Content-Type: text/html } } }
  - send: { command: DATE, line: DATE }
  - expect: 2yy
  - fetch: last
  - connect: nntps://127.0.0.1
    starttls: true
`)
	want := []string{
		`test.yaml:4:46: auth mechanism "sasl": NNTP takes user (AUTHINFO USER and PASS)`,
		"test.yaml:5:12: fetch needs group for article 5",
		`test.yaml:6:33: article "<a b>": a message-id is <...> without spaces`,
		"test.yaml:7:14: fetch has both overview and group",
		"test.yaml:8:14: overview needs group",
		"test.yaml:8:32: last: 0 articles: give 1 to 100000",
		"test.yaml:9:13: post needs newsgroups",
		"test.yaml:9:13: post needs subject",
		"test.yaml:9:66: header Newsgroups: set it with post's newsgroups key",
		"test.yaml:9:83: header Content-Type: post writes the MIME fields itself",
		`test.yaml:10:28: send has both command and line`,
		`test.yaml:11:13: reply code "2yy"`,
		"test.yaml:12:12: nntp fetch takes { group, article",
		"test.yaml:14:5: starttls: nntps:// starts with TLS already",
	}
	if len(errs) != len(want) {
		t.Fatalf("errors:\n%s", strings.Join(errs, "\n"))
	}
	for i, w := range want {
		if !strings.Contains(errs[i], w) {
			t.Errorf("error %d %q, want %q", i+1, errs[i], w)
		}
	}
}
