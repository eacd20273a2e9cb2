package smtp_test

import (
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// TestSendMailPipelined: on a server that lists PIPELINING, MAIL FROM and
// every RCPT TO go before any reply is read (this server answers only
// once it has heard them all), and DATA after their replies.
func TestSendMailPipelined(t *testing.T) {
	addr := steptest.Serve(t, nil,
		steptest.Say("220 scripted ESMTP\r\n"),
		steptest.Dialogue("EHLO [127.0.0.1]", "250-scripted\r\n250 PIPELINING\r\n"),
		steptest.HearLine("MAIL FROM:<alice@example.test>"),
		steptest.HearLine("RCPT TO:<bob@example.test>"),
		steptest.HearLine("RCPT TO:<carol@example.test>"),
		steptest.Say("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n"),
		steptest.Dialogue("DATA", "354 go ahead\r\n"),
		untilDot, steptest.Say("250 2.0.0 Ok: queued\r\n"),
		steptest.Dialogue("QUIT", "221 bye\r\n"),
	)
	res := harness(t).Run(t.TempDir(), `
name: pipelined
steps:
  - connect: smtp://ADDR
  - send:
      mail: { from: alice@example.test, to: [bob@example.test, carol@example.test], subject: hi, text: hello }
    timeout: 5s
    assert: map(result.replies, .code) == [250, 250, 250, 354, 250]
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed)
}

// untilDot reads a message up to its line ".".
func untilDot(p *steptest.Peer) error {
	for {
		line, err := p.R.ReadString('\n')
		if err != nil {
			return err
		}
		if line == ".\r\n" {
			return nil
		}
	}
}

// TestSendMailPipelinedRefusal: with PIPELINING, a refused recipient in
// the middle of the group fails the mail with its reply, the replies after
// it are read and kept, DATA is never sent, and RSET follows; without
// PIPELINING, the recipients after the refused one are not sent.
func TestSendMailPipelinedRefusal(t *testing.T) {
	for _, tc := range []struct {
		ext   []string
		codes string
		heard string
	}{
		{[]string{"PIPELINING"}, "[250, 250, 550, 250]", "RCPT TO:<bob@example.test>\nRCPT TO:<nobody@example.test>\nRCPT TO:<carol@example.test>\nRSET\nNOOP"},
		{[]string{"8BITMIME"}, "[250, 250, 550]", "RCPT TO:<bob@example.test>\nRCPT TO:<nobody@example.test>\nRSET\nNOOP"},
	} {
		t.Run(tc.ext[0], func(t *testing.T) {
			f := &fake{Ext: tc.ext, Replies: map[string]string{"RCPT TO:<nobody@example.test>": "550 5.1.1 no such user"}}
			res := harness(t).Run(t.TempDir(), `
name: refused
steps:
  - connect: smtp://ADDR
  - send:
      mail: { from: alice@example.test, to: [bob@example.test, nobody@example.test, carol@example.test], text: hello }
    id: m
    continue: true
  - send: { command: NOOP }
    assert:
      - map(steps.m.replies, .code) == `+tc.codes+`
      - steps.m.reply.code == 550
`, "ADDR", f.start(t))
			steptest.Check(t, res, engine.Passed, engine.Failed, engine.Passed)
			steptest.Failure(t, res, 2, "RCPT TO:<nobody@example.test> refused: 550 5.1.1 no such user")
			if heard := strings.Join(f.Heard(), "\n"); !strings.Contains(heard, tc.heard) {
				t.Errorf("heard:\n%s\nwant:\n%s", heard, tc.heard)
			}
		})
	}
}
