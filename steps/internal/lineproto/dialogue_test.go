package lineproto_test

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/ftp"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/nntp"
	"github.com/netrunhq/netrun/steps/pop3"
	"github.com/netrunhq/netrun/steps/smtp"
)

// dialogueProto is a line protocol of the table: a scripted server and
// the forms its steps take.
type dialogueProto struct {
	name   string
	plugin engine.Plugin
	greet  string
	// cmd is a command every server answers with one line: ok(text).
	cmd string
	// ok is a one-line success reply with text.
	ok func(text string) string
	// setup answers the commands of connect and QUIT; "" for ok("ok").
	setup map[string]string
	// expect is an expect step's value for a success reply with text.
	expect func(text string) string
}

func dialogueProtos() []dialogueProto {
	three := func(code string) func(string) string {
		return func(text string) string { return code + " " + text + "\r\n" }
	}
	threeExpect := func(text string) string { return "{ code: 2xx, text: ^" + text + "$ }" }
	return []dialogueProto{
		{name: "smtp", plugin: smtp.Plugin{}, greet: "220 scripted ESMTP\r\n", cmd: "NOOP", ok: three("250"),
			setup:  map[string]string{"EHLO": "250-scripted\r\n250 8BITMIME\r\n", "QUIT": "221 bye\r\n"},
			expect: threeExpect},
		{name: "pop3", plugin: pop3.Plugin{}, greet: "+OK scripted\r\n", cmd: "NOOP",
			ok:     func(text string) string { return "+OK " + text + "\r\n" },
			setup:  map[string]string{"CAPA": "+OK\r\nUSER\r\n.\r\n", "QUIT": "+OK bye\r\n"},
			expect: func(text string) string { return "{ ok: true, text: ^" + text + "$ }" }},
		{name: "nntp", plugin: nntp.Plugin{}, greet: "200 scripted\r\n", cmd: "DATE", ok: three("211"),
			setup:  map[string]string{"CAPABILITIES": "101 caps\r\nVERSION 2\r\nREADER\r\n.\r\n", "QUIT": "205 bye\r\n"},
			expect: threeExpect},
		{name: "ftp", plugin: ftp.Plugin{}, greet: "220 scripted\r\n", cmd: "NOOP", ok: three("200"),
			setup: map[string]string{"USER": "331 password\r\n", "PASS": "230 in\r\n",
				"FEAT": "211-features\r\n UTF8\r\n211 end\r\n", "QUIT": "221 bye\r\n"},
			expect: threeExpect},
	}
}

// serve runs p's scripted server: it numbers the answers to p.cmd (n1,
// n2, ...) and records every command word it hears.
func (p dialogueProto) serve(t *testing.T) (addr string, heard func() []string) {
	var mu sync.Mutex
	var words []string
	addr = steptest.ServeEach(t, func(c net.Conn) {
		_, _ = c.Write([]byte(p.greet))
		r := bufio.NewReader(c)
		n := 0
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			w, _, _ := strings.Cut(strings.TrimSpace(line), " ")
			w = strings.ToUpper(w)
			mu.Lock()
			words = append(words, w)
			mu.Unlock()
			answer, ok := p.setup[w]
			switch {
			case w == p.cmd:
				n++
				answer = p.ok(fmt.Sprintf("n%d", n))
			case !ok:
				answer = p.ok("ok")
			}
			_, _ = c.Write([]byte(answer))
			if w == "QUIT" {
				return
			}
		}
	})
	return addr, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), words...)
	}
}

// TestDialogueSameInEveryProtocol runs one sequence of send: { line },
// send: { command } and expect on every line protocol: each must behave
// the same. A line's reply is left for expect, in order; a command while
// one is unread fails (it would take that reply for its own) and leaves
// the dialogue in step; close reads what is still awaited, then says QUIT.
func TestDialogueSameInEveryProtocol(t *testing.T) {
	for _, p := range dialogueProtos() {
		t.Run(p.name, func(t *testing.T) {
			addr, heard := p.serve(t)
			res := steptest.New(t, p.plugin).Run("", `
name: dialogue
steps:
  - connect: SCHEME://ADDR
  - send: { line: CMD }
    assert: result.bytes == 6
  - send: { line: CMD }
  - send: { command: CMD }
    continue: true
  - expect: EXPECT1
  - expect: EXPECT2
  - send: { command: CMD }
    assert: result.text == "n3"
  - send: { line: CMD }
  - close: true
`, "SCHEME", p.name, "ADDR", addr, "CMD", p.cmd, "EXPECT1", p.expect("n1"), "EXPECT2", p.expect("n2"))
			steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Errored,
				engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
			steptest.Failure(t, res, 4, p.cmd+": the ", " to "+p.cmd+", sent with send: { line }, has not been read yet: expect it first")
			words := heard()
			if got := strings.Join(words[len(words)-5:], " "); got != strings.Repeat(p.cmd+" ", 4)+"QUIT" {
				t.Errorf("the server heard %q at the end, want the 4 commands and QUIT", got)
			}
		})
	}
}

// TestFollowerAnySplit feeds the same stream in pieces of every size: the
// replies are the same, RFC 959's free lines included, and a reply is
// handed over as soon as its last line is in.
func TestFollowerAnySplit(t *testing.T) {
	stream := "220 hi\r\n211-features\r\n UTF8\r\n211-EPSV\r\n211 end\r\n150 opening\n226 done\r\n"
	want := []string{"220 hi", "211 features\n UTF8\nEPSV\nend", "150 opening", "226 done"}
	for size := 1; size <= len(stream); size++ {
		f := lineproto.Follower{Proto: "FTP", Where: "the control connection"}
		var got []string
		for i := 0; i < len(stream); i += size {
			err := f.Feed([]byte(stream[i:min(i+size, len(stream))]), func(r lineproto.Reply) {
				got = append(got, fmt.Sprintf("%03d %s", r.Code, r.Text))
				if !strings.HasSuffix(string(r.Raw()), "\n") {
					t.Errorf("raw %q", r.Raw())
				}
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || f.Midway() {
			t.Fatalf("pieces of %d: %q (midway %v), want %q", size, got, f.Midway(), want)
		}
	}
	f := lineproto.Follower{Proto: "FTP", Where: "the control connection"}
	if err := f.Feed([]byte("SSH-2.0-x\r\n"), func(lineproto.Reply) {}); err == nil || !strings.Contains(err.Error(), "is not an FTP reply line") {
		t.Fatalf("garbage: %v", err)
	}
}
