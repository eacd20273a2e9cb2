package smtp_test

import (
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

func TestExpect(t *testing.T) {
	addr := (&fake{Replies: map[string]string{"HELP": "214-2.0.0 commands:\n214 2.0.0 EHLO MAIL RCPT DATA"}}).start(t)
	res := harness(t).Run(t.TempDir(), `
name: expect
vars: { want: 25x }
steps:
  - connect: smtp://ADDR
  - send: { line: NOOP }
  - expect: 250
    assert: [result.code == 250, result.enhanced == "2.0.0", result.text == "Ok"]
  - send: { line: NOOP }
  - expect: 2xx
  - send: { line: NOOP }
  - expect: { code: '{{ want }}', text: ^Ok$ }
  - send: { line: HELP }
  - expect: { text: (?m)^EHLO MAIL }
    assert: result.lines == ["commands:", "EHLO MAIL RCPT DATA"]
  - send: { line: NOOP }
  - expect: {}
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed,
		engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
	for i, want := range map[int]string{3: "smtp expect 250", 5: "smtp expect 2xx", 7: "smtp expect 25x text /^Ok$/",
		9: "smtp expect text /(?m)^EHLO MAIL/", 11: "smtp expect any reply"} {
		if got := res.Steps[i-1].Name; got != want {
			t.Errorf("step %d name %q, want %q", i, got, want)
		}
	}
}

func TestExpectMismatch(t *testing.T) {
	addr := (&fake{}).start(t)
	res := harness(t).Run(t.TempDir(), `
name: mismatch
steps:
  - connect: smtp://ADDR
  - send: { line: NOOP }
  - expect: 5xx
    continue: true
    assert: result.code == 250
  - send: { line: NOOP }
  - expect: { code: 250, text: queued }
    continue: true
  - expect: 250
    timeout: 100ms
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Failed, engine.Passed, engine.Failed, engine.Failed)
	f := steptest.Failure(t, res, 3, "expected a 5xx reply, received 250 2.0.0 Ok")
	if f.Received != `"250 2.0.0 Ok\r\n"` {
		t.Errorf("received %s", f.Received)
	}
	steptest.Failure(t, res, 5, "the reply's text does not match /queued/: 250 2.0.0 Ok")
	steptest.Failure(t, res, 6, "timed out after", "waiting for a reply (nothing received)")
	if out := rendered(t, res); !strings.Contains(out, `"result":{"code":250,"enhanced":"2.0.0","text":"Ok","lines":["Ok"]}`) {
		t.Errorf("a failed expect does not keep the reply as its result:\n%s", out)
	}
}
