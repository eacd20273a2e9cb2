package report

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"html"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Canary secrets: a plain one, and one whose escaped forms differ in every
// output format.
const (
	canary       = "Sup3rS3cretCanary"
	trickyCanary = `pa<ss&"wo'rd>`
)

// authBlob is what SMTP AUTH PLAIN would send for the canary; the engine
// registers it as a derived secret.
var authBlob = base64.StdEncoding.EncodeToString([]byte("\x00alice\x00" + canary))

func redactor() *engine.Redactor {
	r := engine.NewRedactor()
	r.Add(canary)
	r.Add(trickyCanary)
	r.Add(authBlob)
	return r
}

var t0 = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

type reply struct {
	Code int    `json:"code"`
	Text string `json:"text"`
}

type sendResult struct {
	Reply reply `json:"reply"`
}

// fixtures returns results that cover every case the writers handle.
func fixtures() []*engine.ScenarioResult {
	binary := append([]byte{0x00, 0x01, 0xff, 'k', '='}, canary...)
	binary = append(binary, 0x02, 0x03)
	mail := &engine.ScenarioResult{
		Name: "Mail round trip", File: "scenarios/mail.yaml",
		Description: "Send a mail and read it back.", Tags: []string{"mail", "smoke"},
		Status: engine.Failed, Start: t0, Duration: 1234 * time.Millisecond,
		Score: 1, MaxScore: 5,
		Steps: []engine.StepResult{{
			Index: 1, Name: "connect smtp://127.0.0.1:2525", Action: "connect", Scheme: "smtp",
			Pos: engine.Pos{File: "scenarios/mail.yaml", Line: 12, Col: 5}, Status: engine.Passed,
			Duration: 12 * time.Millisecond, Points: 1, MaxPoints: 1,
			Transcript: []engine.TranscriptLine{
				{Dir: "<", Text: `"220 sandbox ESMTP\r\n"`},
				{Dir: ">", Text: strconv.Quote("AUTH PLAIN " + authBlob + "\r\n")},
				{Dir: "*", Text: "password is " + trickyCanary},
			},
		}, {
			Index: 2, Name: "send mail", Action: "send", Scheme: "smtp",
			Pos: engine.Pos{File: "scenarios/mail.yaml", Line: 14, Col: 5}, Status: engine.Failed,
			Duration: 340 * time.Millisecond, Attempts: 3, MaxPoints: 2,
			Result: sendResult{Reply: reply{Code: 451, Text: "4.3.0 no " + canary}},
			Failure: &engine.Failure{
				Kind: engine.Failed, Message: "reply: 451 4.3.0 Temporary failure for " + canary,
				Expr: "result.reply.code == 250 && result.reply.text != secret",
				Operands: []engine.Operand{
					{Expr: "result.reply.code", Value: "451"},
					{Expr: "result.reply.text", Value: strconv.Quote("4.3.0 no " + canary)},
					{Expr: "secret", Value: strconv.Quote(trickyCanary)},
				},
				Received: engine.Quote([]byte("250 ok\r\n451 4.3.0 Temporary failure\r\n"), 512),
			},
			Hint: "The server must accept mail from alice.",
			Transcript: []engine.TranscriptLine{
				{Dir: ">", Text: `"MAIL FROM:<alice@example.test>\r\n"`},
				{Dir: "<", Text: `"451 4.3.0 Temporary failure\r\n"`},
			},
		}, {
			Index: 3, Name: "expect banner", Action: "expect", Scheme: "tcp",
			Pos: engine.Pos{File: "scenarios/mail.yaml", Line: 20, Col: 5}, Status: engine.Errored,
			Duration: 2 * time.Second, MaxPoints: 2,
			Failure: &engine.Failure{
				Kind: engine.Errored, Message: "read tcp 127.0.0.1:40000: connection reset by peer",
				Received: engine.Quote(binary, 512),
				Exceptions: []engine.Exception{{
					Program: "server", Stream: "stderr", Count: 1, Lines: []string{
						"Traceback (most recent call last):",
						`  File "/tmp/server.py", line 9, in handle`,
						"    conn.sendall(greeting.encode())",
						"…",
						"ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006) " + canary,
					},
				}, {
					Program: "program", Stream: "stdout", Count: 3,
					Lines: []string{"ConnectionRefusedError: [Errno 111] Connection refused"},
				}, {
					Program: "server", Stream: "stderr", More: 2,
				}},
			},
			Hint: "The server must greet first.",
		}, {
			Index: 4, Name: "check mailbox", Action: "assert", Status: engine.Skipped,
			Pos:     engine.Pos{File: "scenarios/mail.yaml", Line: 24, Col: 5},
			Failure: &engine.Failure{Kind: engine.Skipped, Message: "if: false"},
		}, {
			Index: 5, Name: "close", Action: "close", Status: engine.Skipped,
			Pos: engine.Pos{File: "scenarios/mail.yaml", Line: 26, Col: 5},
		}, {
			Index: 6, Name: "close", Action: "close", Finally: true, Status: engine.Passed,
			Pos: engine.Pos{File: "scenarios/mail.yaml", Line: 29, Col: 5}, Duration: 800 * time.Microsecond,
		}},
	}
	setup := &engine.ScenarioResult{
		Name: "Broken vars", File: "scenarios/vars.yaml", Status: engine.Errored,
		Start: t0.Add(2 * time.Second), Duration: 3 * time.Millisecond, MaxScore: 1,
		Steps: []engine.StepResult{},
		Failure: &engine.Failure{
			Kind: engine.Errored, Message: "vars: password: env NETRUN_PW is " + canary,
		},
	}
	weird := &engine.ScenarioResult{
		Name: `weird # names \ here`, File: "scenarios/weird.yaml", Status: engine.Failed,
		Start: t0.Add(3 * time.Second), Duration: 45 * time.Millisecond, MaxScore: 1,
		Steps: []engine.StepResult{{
			Index: 1, Name: "expect\nCDATA", Action: "expect", Scheme: "tcp",
			Pos: engine.Pos{File: "scenarios/weird.yaml", Line: 3, Col: 3}, Status: engine.Failed,
			Duration: 45 * time.Millisecond,
			Failure: &engine.Failure{
				Kind:     engine.Failed,
				Message:  "got ]]> and \x00\x07\x1b[31m\x0b\ufffe bad \xff bytes, \ufffd kept, 'quotes' <tags>",
				Received: engine.Quote([]byte("]]><![CDATA[x]]>\x00"), 512),
			},
			Hint: "Check ]]> handling: \x01",
		}},
	}
	deadline := &engine.ScenarioResult{
		Name: "Deadline", File: "scenarios/deadline.yaml", Status: engine.Errored,
		Start: t0.Add(4 * time.Second), Duration: 5 * time.Second, Interrupted: true, MaxScore: 1,
		Failure: &engine.Failure{Kind: engine.Errored, Message: "scenario deadline 5s passed"},
		Steps: []engine.StepResult{{
			Index: 1, Name: "sleep 1s", Action: "sleep", Status: engine.Passed, Duration: time.Second,
			Pos: engine.Pos{File: "scenarios/deadline.yaml", Line: 4, Col: 5},
		}},
	}
	good := &engine.ScenarioResult{
		Name: "Echo", File: "scenarios/echo.yaml", Status: engine.Passed,
		Start: t0.Add(9 * time.Second), Duration: 21 * time.Millisecond, Score: 1, MaxScore: 1,
		Steps: []engine.StepResult{{
			Index: 1, Name: "send hello", Action: "send", Scheme: "udp", Status: engine.Passed,
			Pos: engine.Pos{Line: 5, Col: 5}, Duration: 1500 * time.Microsecond,
		}, {
			Index: 2, Name: "expect hello", Action: "expect", Scheme: "udp", Status: engine.Passed,
			Pos: engine.Pos{Line: 6, Col: 5}, Duration: 19 * time.Millisecond,
			Result: map[string]any{"data": "hello", "from": "127.0.0.1:7"},
		}},
	}
	skipped := &engine.ScenarioResult{
		Name: "Not selected", File: "scenarios/skip.yaml", Status: engine.Skipped,
		Start: t0.Add(10 * time.Second),
	}
	return []*engine.ScenarioResult{mail, setup, weird, deadline, good, skipped}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", name, got)
	}
}

// secretForms lists every form of the canaries that must not appear.
func secretForms() map[string]string {
	forms := map[string]string{}
	for _, s := range []string{canary, trickyCanary, authBlob} {
		b := []byte(s)
		forms["plain "+s] = s
		forms["base64 "+s] = base64.StdEncoding.EncodeToString(b)
		forms["base64 raw "+s] = base64.RawStdEncoding.EncodeToString(b)
		forms["hex "+s] = hex.EncodeToString(b)
		spaced := make([]string, len(b))
		for i, c := range b {
			spaced[i] = hex.EncodeToString([]byte{c})
		}
		forms["spaced hex "+s] = strings.Join(spaced, " ")
		forms["xml "+s] = html.EscapeString(s)
		j, _ := json.Marshal(s)
		forms["json "+s] = string(j[1 : len(j)-1])
		q := strconv.Quote(s)
		forms["go "+s] = q[1 : len(q)-1]
	}
	return forms
}

// noSecrets fails when out contains any form of a canary.
func noSecrets(t *testing.T, what string, out []byte) {
	t.Helper()
	for name, form := range secretForms() {
		if bytes.Contains(out, []byte(form)) {
			t.Errorf("%s leaks %s (%q)", what, name, form)
		}
	}
}
