package sandbox

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/sandbox/internal/nntpd"
)

// nntpCmd sends an NNTP command and fails unless the status line starts
// with want; it returns the status line.
func (tk *talk) nntpCmd(cmd, want string) string {
	tk.t.Helper()
	tk.send(cmd)
	return tk.expect(want)
}

func TestNNTPReading(t *testing.T) {
	s := newSandbox(t, Options{})
	tk := dialMail(t, s, "nntp")
	tk.expect("201 ")
	tk.nntpCmd("CAPABILITIES", "101 ")
	caps := tk.multi()
	for _, want := range []string{"VERSION 2", "READER", "OVER MSGID", "HDR", "AUTHINFO USER", "STARTTLS"} {
		if !slices.Contains(caps, want) {
			t.Errorf("CAPABILITIES %q lacks %s", caps, want)
		}
	}
	if slices.Contains(caps, "POST") || slices.Contains(caps, "MODE-READER") {
		t.Errorf("CAPABILITIES %q: POST before a login, or MODE-READER", caps)
	}
	tk.nntpCmd("MODE READER", "201 ")
	tk.nntpCmd("ARTICLE 1", "412 ")
	tk.nntpCmd("GROUP no.such.group", "411 ")
	tk.nntpCmd("GROUP comp.lang.python", "211 4 1 4 comp.lang.python")
	tk.nntpCmd("LAST", "422 ")
	tk.nntpCmd("NEXT", "223 2 <cpl-2.joerg@netrun.example.test>")
	tk.nntpCmd("STAT", "223 2 <cpl-2.joerg@netrun.example.test>")
	tk.nntpCmd("STAT 9", "423 ")
	tk.nntpCmd("STAT <nope@example.test>", "430 ")
	tk.nntpCmd("STAT <cpl-4.ada@netrun.example.test>", "223 0 <cpl-4.ada@netrun.example.test>")
	tk.nntpCmd("STAT", "223 2 ") // a message-id leaves the current article as it was
	tk.nntpCmd("HEAD 4", "221 4 <cpl-4.ada@netrun.example.test>")
	head := tk.multi()
	if !slices.Contains(head, "From: Ada Lovelace <ada@example.test>") || slices.Contains(head, "") {
		t.Errorf("HEAD %q", head)
	}
	tk.nntpCmd("BODY", "222 4 ")
	if body := tk.multi(); !slices.Contains(body, ".hidden: this line starts with a dot, stuffed to two on the wire.") {
		t.Errorf("BODY %q", body)
	}
	tk.nntpCmd("NEXT", "421 ")
	tk.nntpCmd("OVER 3-", "224 ")
	over := tk.multi()
	if len(over) != 2 || !strings.HasPrefix(over[1], "4\tRe: Reading news with nntplib in Python 3.11\tAda Lovelace <ada@example.test>\t"+
		"Mon, 02 Jun 2025 09:30:00 +0000\t<cpl-4.ada@netrun.example.test>\t<cpl-1.tim@netrun.example.test> <cpl-3.bob@netrun.example.test>\t") {
		t.Errorf("OVER %q", over)
	}
	tk.nntpCmd("XOVER 9-12", "224 ") // empty, as INN answers; OVER is 423
	if got := tk.multi(); len(got) != 0 {
		t.Errorf("XOVER of an empty range %q", got)
	}
	tk.nntpCmd("OVER 9-12", "423 ")
	tk.nntpCmd("XHDR Subject 2", "221 ")
	if got := tk.multi(); len(got) != 1 || got[0] != "2 =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_M=C3=BCnchen:_nntplib_und_Umlaute?=" {
		t.Errorf("XHDR %q", got)
	}
	tk.nntpCmd("XHDR References 1-2", "221 ")
	if got := tk.multi(); !slices.Equal(got, []string{"1 ", "2 "}) { // as INN
		t.Errorf("XHDR References %q", got)
	}
	tk.nntpCmd("HDR :lines <cpl-1.tim@netrun.example.test>", "225 ")
	if got := tk.multi(); !slices.Equal(got, []string{"0 7"}) {
		t.Errorf("HDR :lines %q", got)
	}
	tk.nntpCmd("LISTGROUP local.test", "211 2 1 2 local.test")
	if got := tk.multi(); !slices.Equal(got, []string{"1", "2"}) {
		t.Errorf("LISTGROUP %q", got)
	}
	tk.nntpCmd("LIST ACTIVE comp.*", "215 ")
	if got := tk.multi(); !slices.Equal(got, []string{"comp.lang.python 0000000004 0000000001 y"}) {
		t.Errorf("LIST ACTIVE %q", got)
	}
	tk.nntpCmd("LIST NEWSGROUPS *,!comp.*", "215 ")
	if got := tk.multi(); !slices.Equal(got, []string{"local.general\tLocal general discussion.", "local.test\tLocal test posts."}) {
		t.Errorf("LIST NEWSGROUPS %q", got)
	}
	tk.nntpCmd("GROUP local.general", "211 0 1 0 local.general") // empty, as INN says it
	tk.nntpCmd("LIST OVERVIEW.FMT", "215 ")
	tk.multi()
	tk.nntpCmd("LIST DISTRIBUTIONS", "501 ")
	tk.nntpCmd("DATE", "111 2")
	tk.nntpCmd("HELP", "100 ")
	tk.multi()
	tk.nntpCmd("FROB", "500 ")
	tk.nntpCmd("QUIT", "205 ")
	tk.closed()
}

func TestNNTPPostAfterLogin(t *testing.T) {
	s := newSandbox(t, Options{})
	tk := dialMail(t, s, "nntp")
	tk.expect("201 ")
	tk.nntpCmd("POST", "480 ") // RFC 4643: available once authenticated
	tk.nntpCmd("AUTHINFO PASS secret", "482 ")
	tk.nntpCmd("AUTHINFO USER alice", "381 ")
	tk.nntpCmd("AUTHINFO PASS wrong", "481 ")
	tk.nntpCmd("STARTTLS", "382 ")
	tk.startTLS(s)
	tk.nntpCmd("AUTHINFO USER alice", "381 ")
	tk.nntpCmd("AUTHINFO PASS secret", "281 ")
	tk.nntpCmd("AUTHINFO USER bob", "502 ")
	tk.nntpCmd("CAPABILITIES", "101 ")
	if caps := tk.multi(); !slices.Contains(caps, "POST") || slices.Contains(caps, "STARTTLS") || slices.Contains(caps, "AUTHINFO USER") {
		t.Errorf("CAPABILITIES after login %q", caps)
	}
	tk.nntpCmd("POST", "340 ")
	tk.send("From: alice@example.test\r\nNewsgroups: local.test,comp.lang.python\r\nSubject: posted\r\n\r\n..dotted\r\n.")
	tk.expect("240 article received <")
	tk.nntpCmd("POST", "340 ")
	tk.send("From: alice@example.test\r\nNewsgroups: no.such.group\r\nSubject: x\r\n\r\nbody\r\n.")
	tk.expect(`441 posting failed: no such newsgroup "no.such.group"`)
	tk.nntpCmd("POST", "340 ")
	tk.send("Newsgroups: local.test\r\nSubject: x\r\n\r\nbody\r\n.")
	tk.expect("441 posting failed: the article has no From header field")

	// Another connection, over nntps, sees the post in both groups.
	other := dialMail(t, s, "nntps")
	other.expect("201 ")
	other.nntpCmd("GROUP local.test", "211 3 1 3 ")
	other.nntpCmd("BODY 3", "222 3 <")
	if got := other.multi(); !slices.Equal(got, []string{".dotted"}) {
		t.Errorf("BODY %q", got)
	}
	other.nntpCmd("GROUP comp.lang.python", "211 5 1 5 ")
	other.nntpCmd("HEAD", "221 1 ") // GROUP makes the first article current, per connection
	if head := other.multi(); !slices.Contains(head, "Subject: Reading news with nntplib in Python 3.11") {
		t.Errorf("HEAD %q", head)
	}
	other.nntpCmd("STARTTLS", "502 ")
}

func TestNNTPLimits(t *testing.T) {
	s := newSandbox(t, Options{})
	tk := dialMail(t, s, "nntp")
	tk.expect("201 ")
	tk.send(strings.Repeat("x", nntpd.MaxLine+10))
	tk.expect("501 line too long")
	tk.closed()

	tk = dialMail(t, s, "nntp")
	tk.expect("201 ")
	tk.nntpCmd("AUTHINFO USER bob", "381 ")
	tk.nntpCmd("AUTHINFO PASS secret", "281 ")
	tk.nntpCmd("POST", "340 ")
	hdr := "From: bob@example.test\r\nNewsgroups: local.test\r\nSubject: big\r\n"
	tk.send(hdr)
	// Just enough lines that the last one crosses the cap, so that the
	// server has read everything when it answers and closes.
	line := strings.Repeat("y", 1000)
	n := (nntpd.MaxArticle-len(hdr)-2)/(len(line)+2) + 1
	for i := 0; i < n; i++ {
		tk.send(line)
	}
	tk.expect(fmt.Sprintf("441 the article is larger than %d bytes", nntpd.MaxArticle))
	tk.closed()
}
