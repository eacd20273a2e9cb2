package daytime

import (
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

func TestDaytime(t *testing.T) {
	addr := steptest.Serve(t, nil, steptest.Say("Mon, 07 Dec 2026 21:50:00 UTC\r\n"))
	h := steptest.New(t, Plugin{})
	res := h.Run(t.TempDir(), `
name: daytime
steps:
  - connect: daytime://`+addr+`
  - expect: { line: true, match: '(\d{4}) \d\d:\d\d' }
    assert: result.groups[1] == "2026"
`)
	steptest.Check(t, res, engine.Passed, engine.Passed)
}
