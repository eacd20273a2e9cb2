package pop3_test

import (
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

func TestFetchAllNumberAndTop(t *testing.T) {
	addr := steptest.Serve(t, nil,
		steptest.Say(greeting), capa(),
		steptest.Dialogue("STAT", "+OK 3 300\r\n"),
		steptest.Dialogue("LIST", "+OK\r\n1 100\r\n2 100\r\n3 100\r\n.\r\n"),
		steptest.Dialogue("RETR 1", "+OK\r\n"+message("one")),
		steptest.Dialogue("RETR 2", "+OK\r\n"+message("two")),
		steptest.Dialogue("RETR 3", "+OK\r\n"+message("three")),
		steptest.Dialogue("STAT", "+OK 3 300\r\n"),
		steptest.Dialogue("LIST 2", "+OK 2 100\r\n"),
		steptest.Dialogue("RETR 2", "+OK\r\n"+message("two")),
		steptest.Dialogue("STAT", "+OK 3 300\r\n"),
		steptest.Dialogue("LIST 3", "+OK 3 100\r\n"),
		steptest.Dialogue("TOP 3 0", "+OK\r\nFrom: a@example.test\r\nSubject: three\r\n\r\n.\r\n"),
		steptest.Dialogue("STAT", "+OK 3 300\r\n"),
		steptest.Dialogue("LIST 9", "-ERR no such message\r\n"),
		steptest.Dialogue("QUIT", "+OK\r\n"),
	)
	res := harness(t).Run("", `
name: fetch forms
steps:
  - connect: pop3://ADDR
  - fetch: { message: all }
    assert:
      - len(result.messages) == 3
      - map(result.messages, .subject) == ["one", "two", "three"]
      - map(result.messages, .number) == [1, 2, 3]
      - result.messages[2].text == "body of three\n"
  - fetch: 2
    assert:
      - len(result.messages) == 1
      - result.messages[0].subject == "two"
  - fetch: { message: 3, top: 0 }
    assert:
      - result.messages[0].subject == "three"
      - result.messages[0].text == ""
  - fetch: { message: 9 }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Errored)
	steptest.Failure(t, res, 5, "message 9", "-ERR no such message")
}

func TestFetchEmptyMaildrop(t *testing.T) {
	addr := steptest.Serve(t, nil,
		steptest.Say(greeting), capa(),
		steptest.Dialogue("STAT", "+OK 0 0\r\n"),
		steptest.Dialogue("LIST", "+OK\r\n.\r\n"),
		steptest.Dialogue("QUIT", "+OK\r\n"),
	)
	res := harness(t).Run("", `
name: empty
steps:
  - connect: pop3://ADDR
  - fetch: last
    assert:
      - result.count == 0
      - len(result.messages) == 0
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed)
}

func TestDeleteThenQuit(t *testing.T) {
	addr := steptest.Serve(t, nil,
		steptest.Say(greeting), capa(),
		steptest.Dialogue("STAT", "+OK 2 200\r\n"),
		steptest.Dialogue("LIST", "+OK\r\n1 100\r\n2 100\r\n.\r\n"),
		steptest.Dialogue("RETR 1", "+OK\r\n"+message("one")),
		steptest.Dialogue("RETR 2", "+OK\r\n"+message("two")),
		steptest.Dialogue("DELE 1", "+OK message 1 deleted\r\n"),
		steptest.Dialogue("DELE 2", "+OK message 2 deleted\r\n"),
		steptest.Dialogue("DELE 3", "-ERR no such message\r\n"),
		steptest.Dialogue("QUIT", "+OK 2 messages deleted\r\n"),
	)
	res := harness(t).Run("", `
name: delete
steps:
  - connect: pop3://ADDR
  - fetch: { message: all, delete: true }
    assert:
      - result.deleted == [1, 2]
      - len(result.messages) == 2
  - send: { delete: 3 }
    continue: true
  - close: true
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Failed, engine.Passed)
	steptest.Failure(t, res, 3, "DELE 3", "-ERR no such message")
	if tr := steptest.Transcript(res, 2); !strings.Contains(tr, "removes it at QUIT") {
		t.Errorf("the transcript does not say when deletion happens:\n%s", tr)
	}
}

func TestQuitUnconfirmedAfterDelete(t *testing.T) {
	addr := steptest.Serve(t, nil,
		steptest.Say(greeting), capa(),
		steptest.Dialogue("DELE 1", "+OK\r\n"),
		steptest.Dialogue("QUIT", "-ERR some deleted messages not removed\r\n"),
	)
	res := harness(t).Run("", `
name: quit fails
steps:
  - connect: pop3://ADDR
  - send: { delete: 1 }
  - close: true
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Errored)
	steptest.Failure(t, res, 3, "QUIT", "1 messages marked for deletion", "possibly not removed")
}

func TestMessageOverMaxSize(t *testing.T) {
	addr := steptest.Serve(t, nil,
		steptest.Say(greeting), capa(),
		steptest.Dialogue("STAT", "+OK 1 5000\r\n"),
		steptest.Dialogue("LIST", "+OK\r\n1 5000\r\n.\r\n"),
		steptest.Dialogue("STAT", "+OK 1 5000\r\n"),
		steptest.Dialogue("LIST 1", "+OK 1 100\r\n"),
		steptest.Dialogue("RETR 1", "+OK\r\n"+strings.Repeat("a long line of the body\r\n", 200)+".\r\n"),
		steptest.ListenToEnd(),
	)
	res := harness(t).Run("", `
name: too big
steps:
  - connect: pop3://ADDR
  - fetch: { message: last, max_size: 4KiB }
    continue: true
  - fetch: { message: 1, max_size: 4KiB }
`, "ADDR", addr)
	// Over the cap, announced or sent: a check that failed.
	steptest.Check(t, res, engine.Passed, engine.Failed, engine.Failed)
	steptest.Failure(t, res, 2, "message 1 is 5000 bytes, more than max_size (4 KiB)")
	steptest.Failure(t, res, 3, "larger than 4 KiB")
}

// TestFetchAllSkipsGone checks that message: all skips a message another
// session removed meanwhile (Dovecot: "-ERR Message 2 expunged."), lists
// it in gone, and deletes only what it read.
func TestFetchAllSkipsGone(t *testing.T) {
	addr := steptest.Serve(t, nil,
		steptest.Say(greeting), capa(),
		steptest.Dialogue("STAT", "+OK 3 300\r\n"),
		steptest.Dialogue("LIST", "+OK\r\n1 100\r\n2 100\r\n3 100\r\n.\r\n"),
		steptest.Dialogue("TOP 1 0", "+OK\r\nSubject: one\r\n\r\n.\r\n"),
		steptest.Dialogue("TOP 2 0", "-ERR Message 2 expunged.\r\n"),
		steptest.Dialogue("TOP 3 0", "+OK\r\nSubject: three\r\n\r\n.\r\n"),
		steptest.Dialogue("DELE 1", "+OK\r\n"),
		steptest.Dialogue("DELE 3", "+OK\r\n"),
		steptest.Dialogue("QUIT", "+OK\r\n"),
	)
	res := harness(t).Run("", `
name: gone
steps:
  - connect: pop3://ADDR
  - fetch: { message: all, top: 0, delete: true }
    assert:
      - map(result.messages, .subject) == ["one", "three"]
      - result.gone == [2]
      - result.deleted == [1, 3]
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed)
	if tr := steptest.Transcript(res, 2); !strings.Contains(tr, "message 2 skipped: TOP 2 0 answered -ERR Message 2 expunged.") {
		t.Errorf("transcript:\n%s", tr)
	}
}

// TestFetchAllPipelined: on a server that lists PIPELINING, fetch sends
// its TOP and DELE commands together, before reading their replies (this
// server answers only once it has heard them all), and reads the replies
// in order.
func TestFetchAllPipelined(t *testing.T) {
	top := func(n string) string { return "+OK\r\nSubject: " + n + "\r\n\r\n.\r\n" }
	addr := steptest.Serve(t, nil,
		steptest.Say(greeting),
		steptest.Dialogue("CAPA", "+OK\r\nTOP\r\nUSER\r\nPIPELINING\r\n.\r\n"),
		steptest.Dialogue("STAT", "+OK 3 300\r\n"),
		steptest.Dialogue("LIST", "+OK\r\n1 100\r\n2 100\r\n3 100\r\n.\r\n"),
		steptest.HearLine("TOP 1 0"), steptest.HearLine("TOP 2 0"), steptest.HearLine("TOP 3 0"),
		steptest.Say(top("one")+"-ERR Message 2 expunged.\r\n"+top("three")),
		steptest.HearLine("DELE 1"), steptest.HearLine("DELE 3"),
		steptest.Say("+OK\r\n+OK\r\n"),
		steptest.Dialogue("QUIT", "+OK\r\n"),
	)
	res := harness(t).Run("", `
name: pipelined
steps:
  - connect: pop3://ADDR
  - fetch: { message: all, top: 0, delete: true }
    timeout: 5s
    assert:
      - map(result.messages, .subject) == ["one", "three"]
      - result.gone == [2]
      - result.deleted == [1, 3]
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed)
	tr := steptest.Transcript(res, 2)
	if want := "> \"TOP 1 0\\r\\n\"\n> \"TOP 2 0\\r\\n\"\n> \"TOP 3 0\\r\\n\"\n< \"+OK\\r\\n\""; !strings.Contains(tr, want) {
		t.Errorf("transcript:\n%s\nwant the three commands before the replies", tr)
	}
}

// TestFetchDeletePipelinedRefused checks that a refused DELE among
// pipelined ones says which messages were marked all the same: those
// written before and after it, which the server removes at QUIT.
func TestFetchDeletePipelinedRefused(t *testing.T) {
	retr := func(n string) string { return "+OK\r\nSubject: " + n + "\r\n\r\nbody\r\n.\r\n" }
	addr := steptest.Serve(t, nil,
		steptest.Say(greeting),
		steptest.Dialogue("CAPA", "+OK\r\nUSER\r\nPIPELINING\r\n.\r\n"),
		steptest.Dialogue("STAT", "+OK 3 300\r\n"),
		steptest.Dialogue("LIST", "+OK\r\n1 100\r\n2 100\r\n3 100\r\n.\r\n"),
		steptest.HearLine("RETR 1"), steptest.HearLine("RETR 2"), steptest.HearLine("RETR 3"),
		steptest.Say(retr("one")+retr("two")+retr("three")),
		steptest.HearLine("DELE 1"), steptest.HearLine("DELE 2"), steptest.HearLine("DELE 3"),
		steptest.Say("+OK\r\n-ERR locked\r\n+OK\r\n"),
		steptest.Dialogue("QUIT", "+OK\r\n"),
	)
	res := harness(t).Run("", `
name: refused
steps:
  - connect: pop3://ADDR
  - fetch: { message: all, delete: true }
    timeout: 5s
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Failed)
	steptest.Failure(t, res, 2, "DELE 2: the server answered -ERR locked", "marked for deletion all the same, removed at QUIT (close): 1, 3")
}
