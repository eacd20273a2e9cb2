package netconn

import (
	"testing"

	"github.com/expr-lang/expr"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
)

// TestConnectResultEmbeds checks what protocols that embed ConnectResult
// rely on: expressions see its fields beside their own.
func TestConnectResultEmbeds(t *testing.T) {
	type greeted struct {
		ConnectResult
		Greeting string `expr:"greeting"`
	}
	type env struct {
		Result greeted `expr:"result"`
	}
	val := env{Result: greeted{ConnectResult: ConnectResult{Remote: "h:25", TLS: &tlsconf.Info{Version: "1.3"}}, Greeting: "220 hi"}}
	for src, want := range map[string]any{
		`result.remote`:       "h:25",
		`result.greeting`:     "220 hi",
		`result.tls?.version`: "1.3",
		`result.tls != nil`:   true,
	} {
		prog, err := expr.Compile(src, expr.Env(env{}))
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		got, err := expr.Run(prog, val)
		if err != nil || got != want {
			t.Errorf("%s = %v, %v; want %v", src, got, err, want)
		}
	}
	if _, err := expr.Compile(`result.remot`, expr.Env(env{})); err == nil {
		t.Error("a misspelt field compiled")
	}
}
