package pop3_test

import (
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/pop3"
)

// harness loads and runs scenarios with the pop3 plugin (pop3 and pop3s).
func harness(t *testing.T) *steptest.Harness {
	t.Helper()
	return steptest.New(t, pop3.Plugin{})
}

// greeting and capa are the start of every scripted session.
const greeting = "+OK POP3 ready <1.2@test>\r\n"

// capa is the CAPA dialogue of a server with TOP, UIDL and USER.
func capa() steptest.Act {
	return steptest.Dialogue("CAPA", "+OK Capability list follows\r\nTOP\r\nUIDL\r\nUSER\r\n.\r\n")
}

// login is USER and PASS accepted, and the STAT that follows.
func login() steptest.Act {
	return steptest.Seq(steptest.Dialogue("USER alice", "+OK\r\n"), steptest.Dialogue("PASS secret", "+OK logged in\r\n"),
		steptest.Dialogue("STAT", "+OK 2 420\r\n"))
}

// stuffed is a message as RETR sends it: dot-stuffed, with the final line.
const stuffed = "From: Alice <alice@example.test>\r\n" +
	"To: bob@example.test\r\n" +
	"Subject: dots\r\n" +
	"\r\n" +
	"first line\r\n" +
	"..starts with a dot\r\n" +
	"...two dots\r\n" +
	".\r\n"

// message makes a small message with subject.
func message(subject string) string {
	return "From: a@example.test\r\nSubject: " + subject + "\r\n\r\nbody of " + subject + "\r\n.\r\n"
}

func TestConnectLoginFetchLast(t *testing.T) {
	addr := steptest.Serve(t, nil,
		steptest.Say(greeting), capa(), login(),
		steptest.Dialogue("STAT", "+OK 2 420\r\n"),
		steptest.Dialogue("LIST", "+OK 2 messages\r\n1 200\r\n2 220\r\n.\r\n"),
		steptest.Dialogue("RETR 2", "+OK 220 octets\r\n"+stuffed),
		steptest.Dialogue("STAT", "+OK 2 420\r\n"),
		steptest.Dialogue("STAT", "+OK 2 420\r\n"),
		steptest.Dialogue("QUIT", "+OK bye\r\n"),
	)
	res := harness(t).Run("", `
name: pop3
secrets: { password: secret }
steps:
  - connect: pop3://ADDR
    auth: { user: alice, password: '{{ password }}' }
    assert:
      - result.greeting.ok
      - result.greeting.text == "POP3 ready <1.2@test>"
      - result.capabilities == ["TOP", "UIDL", "USER"]
      - result.tls == nil
      - result.remote == "ADDR"
      - result.count == 2 && result.size == 420
  - fetch: { message: last }
    id: f
    assert:
      - result.count == 2
      - result.size == 420
      - len(result.messages) == 1
      - result.messages[0].number == 2
      - result.messages[0].subject == "dots"
      - result.messages[0].from == "Alice <alice@example.test>"
      - result.messages[0].to == ["bob@example.test"]
      - result.deleted == []
  - send: { command: STAT }
    assert:
      - result.ok
      - result.text == "2 420"
      - result.lines == []
  - send: { line: STAT }
  - expect: { ok: true, text: '^2 \d+$' }
  - close: true
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
	got := res.Steps[1].Result.(pop3.FetchResult).Messages[0].Text
	if want := "first line\n.starts with a dot\n..two dots\n"; got != want {
		t.Errorf("text %q, want %q (dot-unstuffed)", got, want)
	}
	if tr := steptest.Transcript(res, 1); strings.Contains(tr, "secret") || !strings.Contains(tr, "PASS ***") {
		t.Errorf("the password is not redacted in the transcript:\n%s", tr)
	}
}

func TestLoginRejected(t *testing.T) {
	addr := steptest.Serve(t, nil,
		steptest.Say(greeting), capa(),
		steptest.Dialogue("USER alice", "+OK\r\n"),
		steptest.Dialogue("PASS canary-9f3", "-ERR [AUTH] invalid password canary-9f3\r\n"),
		steptest.ListenToEnd(),
	)
	res := harness(t).Run("", `
name: bad password
secrets: { password: canary-9f3 }
steps:
  - connect: pop3://ADDR
    auth: { user: alice, password: '{{ password }}' }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Failed)
	msg := steptest.Failure(t, res, 1, "login as alice", "-ERR [AUTH] invalid password").Message
	if strings.Contains(msg+steptest.Transcript(res, 1), "canary-9f3") {
		t.Errorf("the password shows: %s\n%s", msg, steptest.Transcript(res, 1))
	}
}

func TestAuthPlainRedacted(t *testing.T) {
	// base64("\x00alice\x00canary-77") is AGFsaWNlAGNhbmFyeS03Nw==.
	addr := steptest.Serve(t, nil,
		steptest.Say(greeting), capa(),
		steptest.Dialogue("AUTH PLAIN AGFsaWNlAGNhbmFyeS03Nw==", "+OK\r\n"),
		steptest.Dialogue("STAT", "+OK 0 0\r\n"),
		steptest.Dialogue("QUIT", "+OK\r\n"),
	)
	res := harness(t).Run("", `
name: auth plain
secrets: { password: canary-77 }
steps:
  - connect: pop3://ADDR
    auth: { user: alice, password: '{{ password }}', mechanism: plain }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed)
	if tr := steptest.Transcript(res, 1); strings.Contains(tr, "AGFsaWNlAGNhbmFyeS03Nw") || !strings.Contains(tr, "AUTH PLAIN ***") {
		t.Errorf("the AUTH PLAIN blob is not redacted:\n%s", tr)
	}
}

func TestSTLS(t *testing.T) {
	dir := t.TempDir()
	cfg := steptest.ServerTLS(t, dir)
	addr := steptest.Serve(t, nil,
		steptest.Say(greeting),
		steptest.Dialogue("CAPA", "+OK\r\nSTLS\r\nUSER\r\n.\r\n"),
		steptest.Dialogue("STLS", "+OK begin TLS\r\n"),
		steptest.Upgrade(cfg),
		steptest.Dialogue("CAPA", "+OK\r\nUSER\r\nTOP\r\n.\r\n"),
		login(),
		steptest.Dialogue("QUIT", "+OK\r\n"),
	)
	res := harness(t).Run(dir, `
name: stls
steps:
  - connect: pop3://ADDR
    starttls: true
    tls: { ca: ca.pem, sni: localhost }
    auth: { user: alice, password: secret }
    assert:
      - result.tls.version == "1.3"
      - result.tls.cert.subject == "CN=localhost"
      - result.capabilities == ["USER", "TOP"]
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed)
}

func TestImplicitTLS(t *testing.T) {
	dir := t.TempDir()
	cfg := steptest.ServerTLS(t, dir)
	addr := steptest.Serve(t, cfg, steptest.Say(greeting), capa(), steptest.Dialogue("QUIT", "+OK\r\n"))
	res := harness(t).Run(dir, `
name: pop3s
steps:
  - connect: pop3s://ADDR
    tls: { ca: ca.pem }
    assert: [result.tls != nil, result.greeting.ok]
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed)
}

func TestSTLSNotOffered(t *testing.T) {
	addr := steptest.Serve(t, nil, steptest.Say(greeting), capa(), steptest.ListenToEnd())
	res := harness(t).Run("", `
name: no stls
steps:
  - connect: pop3://ADDR
    tls_mode: starttls
`, "ADDR", addr)
	steptest.Check(t, res, engine.Errored)
	steptest.Failure(t, res, 1, "does not offer STLS", "TOP, UIDL, USER")
}

func TestSTLSRefused(t *testing.T) {
	addr := steptest.Serve(t, nil,
		steptest.Say(greeting),
		steptest.Dialogue("CAPA", "+OK\r\nSTLS\r\n.\r\n"),
		steptest.Dialogue("STLS", "-ERR TLS not available now\r\n"),
		steptest.ListenToEnd(),
	)
	res := harness(t).Run("", `
name: stls refused
steps:
  - connect: pop3://ADDR
    starttls: true
`, "ADDR", addr)
	steptest.Check(t, res, engine.Errored)
	steptest.Failure(t, res, 1, "starttls", "-ERR TLS not available now")
}

func TestSendCommandLineAndExpect(t *testing.T) {
	addr := steptest.Serve(t, nil,
		steptest.Say(greeting), capa(),
		steptest.Dialogue("UIDL", "+OK\r\n1 abc\r\n2 def\r\n.\r\n"),
		steptest.Dialogue("UIDL 1", "+OK 1 abc\r\n"),
		steptest.Dialogue("NOOP", "-ERR not now\r\n"),
		steptest.HearLine("LIST"), steptest.HearLine("DELE 2"),
		steptest.Say("+OK 2 messages\r\n1 10\r\n..2 20\r\n.\r\n+OK marked\r\n"),
		steptest.Say("+OK unsolicited\r\n"),
		steptest.Dialogue("QUIT", "+OK\r\n"),
	)
	res := harness(t).Run("", `
name: commands
steps:
  - connect: pop3://ADDR
  - send: { command: UIDL }
    assert:
      - result.ok
      - result.lines == ["1 abc", "2 def"]
  - send: { command: UIDL 1 }
    assert:
      - result.text == "1 abc"
      - result.lines == []
  - send: { command: NOOP }
    assert: [not result.ok, result.text == "not now"]
  - send: { line: LIST }
    assert: result.bytes == 6
  - send: { line: DELE 2 }
  - send: { command: STAT }
    continue: true
  - expect: +OK
    assert: result.lines == ["1 10", ".2 20"]
  - expect: { ok: true, text: ^marked$ }
  - expect: { ok: true, text: unsolicited }
  - expect: -ERR
    timeout: 200ms
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed,
		engine.Errored, engine.Passed, engine.Passed, engine.Passed, engine.Failed)
	steptest.Failure(t, res, 7, "the reply to LIST, sent with send: { line }, has not been read yet")
	steptest.Failure(t, res, 11, "timed out")
}

func TestExpectMismatch(t *testing.T) {
	addr := steptest.Serve(t, nil, steptest.Say(greeting), capa(), steptest.Dialogue("NOOP", "+OK fine\r\n"), steptest.Dialogue("QUIT", "+OK\r\n"))
	res := harness(t).Run("", `
name: mismatch
steps:
  - connect: pop3://ADDR
  - send: { line: NOOP }
  - expect: { ok: false }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Failed)
	steptest.Failure(t, res, 3, "expected -ERR, got +OK fine")
}

func TestOverlongLine(t *testing.T) {
	addr := steptest.Serve(t, nil, steptest.Say("+OK "+strings.Repeat("x", 200<<10)), steptest.ListenToEnd())
	res := harness(t).Run("", `
name: flood
steps:
  - connect: pop3://ADDR
`, "ADDR", addr)
	steptest.Check(t, res, engine.Failed)
	steptest.Failure(t, res, 1, "longer than 64 KiB")
}

func TestSilentServer(t *testing.T) {
	addr := steptest.Serve(t, nil, steptest.ListenToEnd())
	res := harness(t).Run("", `
name: silent
steps:
  - connect: pop3://ADDR
    timeout: 300ms
`, "ADDR", addr)
	steptest.Check(t, res, engine.Failed)
	steptest.Failure(t, res, 1, "greeting", "timed out")
}

func TestLoadErrors(t *testing.T) {
	errs := harness(t).LoadErrors(`
name: bad
steps:
  - connect: pop3://127.0.0.1:110
    auth: { user: a, password: b, mechanism: cram }
  - fetch: { message: newest }
  - fetch: { message: last, max_size: lots }
  - send: { command: STAT, delete: 1 }
  - send: STAT
  - expect: { ok: maybe }
  - expect: yes
  - listen: pop3://127.0.0.1:0
  - connect: pop3://mail.example.test
    tls: { insecure: true }
  - connect: pop3s://mail.example.test
    starttls: true
  - send: {}
`)
	want := []string{
		`test.yaml:5:46: auth mechanism "cram"`,
		`test.yaml:6:23: message "newest": use last, all or a message number`,
		`test.yaml:7:39: max_size: "lots" is not a size`,
		`test.yaml:8:28: send has both command and delete: use one of { command: TEXT }, { line: TEXT } or { delete: N }`,
		`test.yaml:9:11: pop3 send takes { command: TEXT }, { line: TEXT } or { delete: N }`,
		`test.yaml:10:19:`,
		`test.yaml:11:13: expect "yes": use +OK or -ERR`,
		`test.yaml:12:13: pop3 has no listen action`,
		`test.yaml:14:5: tls options need starttls: true, tls_mode or a pop3s:// URL`,
		`test.yaml:16:5: starttls: pop3s:// starts with TLS already`,
		`test.yaml:17:11: send needs one of { command: TEXT }, { line: TEXT } or { delete: N }`,
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

// TestRawPassRedacted checks that a password written in the file, in a raw
// PASS command, is redacted like one from secrets:.
func TestRawPassRedacted(t *testing.T) {
	addr := steptest.Serve(t, nil,
		steptest.Say(greeting), capa(),
		steptest.Dialogue("USER alice", "+OK\r\n"),
		steptest.Dialogue("PASS literal-c4nary", "-ERR [AUTH] wrong password literal-c4nary\r\n"),
		steptest.Dialogue("QUIT", "+OK\r\n"),
	)
	res := harness(t).Run("", `
name: raw pass
steps:
  - connect: pop3://ADDR
  - send: { command: USER alice }
  - send: { command: PASS literal-c4nary }
    assert: not result.ok
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed)
	if tr := steptest.Transcript(res, 3); strings.Contains(tr, "literal-c4nary") || !strings.Contains(tr, "PASS ***") {
		t.Errorf("the literal password is not redacted:\n%s", tr)
	}
}
