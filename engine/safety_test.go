package engine

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strings"
	"testing"
)

// TestSecretsNeverInResults checks that a secret, plain or base64, reaches
// no part of a step result: transcript, operands, messages, received data.
func TestSecretsNeverInResults(t *testing.T) {
	const canary = "Canary-Pa55word"
	sc := mustLoad(t, `name: x
secrets:
  pw: Canary-Pa55word
vars:
  other: plain
steps:
  - connect: fake://a
  - send: 'AUTH {{ pw }} {{ base64(pw) }}'
  - expect: { equals: nope }
    continue: true
  - send: '{{ pw }}'
    assert: result.data == "x" + pw
    hint: 'password was {{ pw }}'
`)
	res := Run(context.Background(), sc, RunOptions{})
	// Results keep raw values for later expressions; report writers redact
	// them (tested in engine/report). Everything else must be clean here.
	blob := ""
	for _, st := range res.Steps {
		st.Result = nil
		b, _ := json.Marshal(st)
		blob += string(b)
	}
	for _, form := range []string{canary, base64.StdEncoding.EncodeToString([]byte(canary))} {
		if strings.Contains(blob, form) {
			t.Errorf("secret form %q leaked: %s", form, blob)
		}
	}
	if !strings.Contains(blob, Redacted) {
		t.Error("nothing was redacted: the test does not exercise redaction")
	}
}

// TestPanicInPluginIsAnError checks that a plugin that panics fails its
// step as an error instead of ending netrun.
func TestPanicInPluginIsAnError(t *testing.T) {
	reg, err := NewRegistry(panicPlugin{})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := LoadBytes("p.yaml", []byte("name: p\nsteps:\n  - connect: panic://x\n"), reg, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res := Run(context.Background(), sc, RunOptions{})
	sameStatuses(t, res, Errored)
	if !strings.Contains(res.Steps[0].Failure.Message, "internal error in panic connect: boom") {
		t.Errorf("message %q", res.Steps[0].Failure.Message)
	}
}

type panicPlugin struct{}

func (panicPlugin) Schemes() []string { return []string{"panic"} }
func (panicPlugin) Verbs() VerbTable {
	return VerbTable{Takes: []Verb{{Name: "connect", Decode: func(*Decoder) (TypedAction, error) { return panicAction{}, nil }}}}
}

type panicAction struct{ Returns[fakeResult] }

func (panicAction) Do(context.Context, *Session) (any, error) { panic("boom") }

// TestBase64OfSecretIsSecret checks that base64() of a value holding a
// secret is redacted too, as AUTH PLAIN over tcp would send it.
func TestBase64OfSecretIsSecret(t *testing.T) {
	sc := mustLoad(t, `name: x
secrets: { pw: Hunter2xyz }
steps:
  - connect: fake://a
  - send: '{{ base64("\u0000user\u0000" + pw) }}'`)
	red := NewRedactor()
	res := Run(context.Background(), sc, RunOptions{Redactor: red})
	sameStatuses(t, res, Passed, Passed)
	blob := base64.StdEncoding.EncodeToString([]byte("\x00user\x00Hunter2xyz"))
	if got := res.Steps[1].Transcript[0].Text; strings.Contains(got, blob) || !strings.Contains(got, Redacted) {
		t.Errorf("transcript %q shows the AUTH blob", got)
	}
}

// TestSecretLeavesAndLongOperands checks that the values inside a secret
// mapping are redacted, and that an operand longer than what is shown is
// redacted before it is cut, so that no part of a secret shows.
func TestSecretLeavesAndLongOperands(t *testing.T) {
	pad := strings.Repeat("a", 290)
	sc := mustLoad(t, `name: x
secrets: { creds: { user: bobby, pass: Hunter2xyz }, long: '`+pad+`Hunter2xyzSECRET' }
steps:
  - assert: creds.pass == "x"
    continue: true
  - assert: long == "x"`)
	res := Run(context.Background(), sc, RunOptions{})
	sameStatuses(t, res, Failed, Failed)
	for i, st := range res.Steps {
		for _, o := range st.Failure.Operands {
			if strings.Contains(o.Value, "Hunter2") || strings.Contains(o.Value, "SECRET") {
				t.Errorf("step %d shows %s = %s", i+1, o.Expr, o.Value)
			}
		}
	}
}

// TestTranscriptRedactsAcrossReads checks that a secret that arrives split
// over two reads is still redacted, and that lines are cut at line ends.
func TestTranscriptRedactsAcrossReads(t *testing.T) {
	red := NewRedactor()
	red.Add("Hunter2xyz")
	s := &Session{sr: &scenarioRun{sc: &Scenario{}, opts: RunOptions{Redactor: red}}}
	s.Received([]byte("250 ok\r\npass Hunt"))
	s.Received([]byte("er2xyz done\r\n"))
	s.Sent([]byte("QUIT\r\n"))
	s.flush()
	want := []TranscriptLine{
		{Dir: "<", Text: `"250 ok\r\n"`},
		{Dir: "<", Text: `"pass *** done\r\n"`},
		{Dir: ">", Text: `"QUIT\r\n"`},
	}
	if fmt.Sprint(s.transcript) != fmt.Sprint(want) {
		t.Errorf("transcript %q, want %q", s.transcript, want)
	}
}

func TestRedactorCatchesEncodedForms(t *testing.T) {
	const secret = "p@ss word/ü&x=1"
	red := NewRedactor()
	red.Add(secret)
	for _, form := range []string{
		secret,
		base64.StdEncoding.EncodeToString([]byte(secret)),
		url.QueryEscape(secret), // a form or query value
		url.PathEscape(secret),  // a path segment
		html.EscapeString(secret),
	} {
		if got := red.Redact("a=" + form + ";"); got != "a="+Redacted+";" {
			t.Errorf("Redact(%q) = %q", form, got)
		}
	}
}

// ctxSandbox answers sandbox(name) while the context it is given is live.
type ctxSandbox struct{}

func (ctxSandbox) Address(ctx context.Context, name string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return "127.0.0.1:7", nil
}

// TestSandboxInFinallyAfterTimeout checks that finally steps still reach
// the sandbox once the scenario's deadline has passed.
func TestSandboxInFinallyAfterTimeout(t *testing.T) {
	sc := mustLoad(t, `name: x
timeout: 100ms
steps:
  - sleep: 1s
finally:
  - assert: sandbox("echo") == "127.0.0.1:7"`)
	res := Run(context.Background(), sc, RunOptions{Sandbox: ctxSandbox{}})
	sameStatuses(t, res, Errored, Passed)
}
