package smtp_test

import (
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

func TestSendMail(t *testing.T) {
	dir := t.TempDir()
	steptest.WriteFile(t, dir, "report.csv", []byte("a,b\n1,2\n"))
	f := &fake{}
	addr := f.start(t)
	res := harness(t).Run(dir, `
name: mail
vars:
  token: tok-123
  team: [carol@example.test, 'Dave <dave@example.test>']
steps:
  - connect: smtp://ADDR
  - send:
      mail:
        from: Alice <alice@example.test>
        to: bob@example.test
        cc: '{{ team }}'
        bcc: [eve@example.test, BOB@example.test]
        subject: 'Report {{ token }}'
        text: |
          hello
          .hidden dot line
        html: <p>hello</p>
        attachments: [{ file: report.csv, name: data.csv, content_type: text/csv }]
        headers: { X-Netrun-Token: '{{ token }}' }
    id: sent
    assert:
      - map(result.replies, .code) == [250, 250, 250, 250, 250, 354, 250]
      - result.reply.code == 250
      - 'result.reply.text == "Ok: queued as 4BZ"'
      - result.reply.enhanced == "2.0.0"
      - result.message_id startsWith "<"
      - result.size > 100
  - send: { command: NOOP }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed)
	if got, want := res.Steps[1].Name, "smtp send mail to bob@example.test and 3 more"; got != want {
		t.Errorf("name %q, want %q", got, want)
	}
	heard := strings.Join(f.Heard(), "\n")
	for _, want := range []string{
		"MAIL FROM:<alice@example.test> SIZE=",
		"RCPT TO:<bob@example.test>\nRCPT TO:<carol@example.test>\nRCPT TO:<dave@example.test>\nRCPT TO:<eve@example.test>\nDATA",
	} {
		if !strings.Contains(heard, want) {
			t.Errorf("server did not hear %q:\n%s", want, heard)
		}
	}
	msgs := f.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	msg := msgs[0]
	for _, want := range []string{"Subject: Report tok-123", "X-Netrun-Token: tok-123", "\r\n.hidden dot line", "data.csv", "text/csv", "text/html"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "eve@example.test") {
		t.Errorf("bcc in the message:\n%s", msg)
	}
	if tr := steptest.Transcript(res, 2); !strings.Contains(tr, "more lines") {
		t.Errorf("the message is not cut in the transcript:\n%s", tr)
	}
}

func TestSendMailRejectedRcpt(t *testing.T) {
	f := &fake{Replies: map[string]string{"RCPT TO:<nobody@example.test>": "550 5.1.1 <nobody@example.test>: Recipient address rejected"}}
	addr := f.start(t)
	res := harness(t).Run(t.TempDir(), `
name: rejected
steps:
  - connect: smtp://ADDR
  - send:
      mail: { from: alice@example.test, to: [bob@example.test, nobody@example.test], subject: hi, text: hello }
    id: m
    continue: true
  - send: { command: NOOP }
    assert:
      - result.code == 250
      - map(steps.m.replies, .code) == [250, 250, 550]
      - steps.m.reply.code == 550
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Failed, engine.Passed)
}

func TestSendMailRejectedRcptResult(t *testing.T) {
	f := &fake{Replies: map[string]string{"RCPT": "550 5.1.1 no such user"}}
	addr := f.start(t)
	res := harness(t).Run(t.TempDir(), `
name: rejected
steps:
  - connect: smtp://ADDR
  - send:
      mail: { from: alice@example.test, to: nobody@example.test, text: hello }
    continue: true
  - send: { command: NOOP }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Failed, engine.Passed)
	fl := steptest.Failure(t, res, 2, "RCPT TO:<nobody@example.test> refused: 550 5.1.1 no such user")
	if fl.Received != `"550 5.1.1 no such user\r\n"` {
		t.Errorf("received %s", fl.Received)
	}
	heard := f.Heard()
	if i := indexOf(heard, "RSET"); i < 0 || heard[i-1] != "RCPT TO:<nobody@example.test>" {
		t.Errorf("no RSET after the refused RCPT: %q", heard)
	}
}

func TestSendMailDroppedInData(t *testing.T) {
	addr := (&fake{DropInData: true}).start(t)
	res := harness(t).Run(t.TempDir(), `
name: dropped
steps:
  - connect: smtp://ADDR
  - send:
      mail: { from: alice@example.test, to: bob@example.test, subject: hi, text: hello }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Failed)
	steptest.Failure(t, res, 2, "(", "after DATA", "the peer closed the connection")
}

func TestSendMailMessageRefused(t *testing.T) {
	addr := (&fake{Replies: map[string]string{".": "554-5.7.1 spam\n554 5.7.1 go away"}}).start(t)
	res := harness(t).Run(t.TempDir(), `
name: refused
steps:
  - connect: smtp://ADDR
  - send:
      mail: { from: alice@example.test, to: bob@example.test, text: buy now }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Failed)
	steptest.Failure(t, res, 2, "the message was refused: 554 5.7.1 spam go away")
}

func TestSendMailBadAddress(t *testing.T) {
	addr := (&fake{}).start(t)
	res := harness(t).Run(t.TempDir(), `
name: bad
steps:
  - connect: smtp://ADDR
  - send:
      mail: { from: alice@example.test, to: 'not an address', text: x }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Errored)
	steptest.Failure(t, res, 2, `recipient "not an address" is not an address`)
}

func TestSendCommandAndLine(t *testing.T) {
	f := &fake{}
	addr := f.start(t)
	res := harness(t).Run(t.TempDir(), `
name: dialogue
steps:
  - connect: smtp://ADDR
  - send: { command: VRFY bob }
    assert: [result.code == 252, result.enhanced == "2.0.0", result.text == "Cannot VRFY user"]
  - send: { command: "MAIL FROM:<alice@example.test>" }
  - send: { line: "RCPT TO:<bob@example.test>" }
    assert: result.bytes == 28
  - expect: 250
  - send: { command: DATA }
    assert: result.code == 354
  - send:
      command: |
        Subject: by hand

        ..dot
        .
    assert: result.text startsWith "Ok"
  - send: { command: QUIT }
    assert: result.code == 221
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
	if got := res.Steps[1].Name; got != `smtp send "VRFY bob"` {
		t.Errorf("name %q", got)
	}
	if got := res.Steps[3].Name; got != `smtp send line "RCPT TO:<bob@example.test>"` {
		t.Errorf("name %q", got)
	}
	if m := f.Messages(); len(m) != 1 || m[0] != "Subject: by hand\r\n\r\n.dot\r\n" {
		t.Errorf("messages %q", m)
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
