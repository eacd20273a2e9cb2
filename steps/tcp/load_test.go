package tcp_test

import (
	"strings"
	"testing"
)

func TestLoadErrors(t *testing.T) {
	errs := harness(t).LoadErrors(`name: errors
steps:
  - connect: tcp://127.0.0.1
  - connect: tcp://127.0.0.1:7
    tls: { ca: ca.pem }
  - connect: tls://127.0.0.1:7
    tls: { min_version: "1.4", cert: c.pem }
  - listen: tls://127.0.0.1:0
  - connect: tcp://127.0.0.1:7
    max_buffer: lots
    line_ending: '\q'
  - send: { line: a, hex: "00" }
  - send:
  - expect: { nothing: true, equals: x }
  - expect:
  - accept: yes
  - fetch: x
  - expect: { equals: x }
    assert: result.dta == "x"
  - send: { hex: "0g" }
  - connect: tcp://127.0.0.1:7
    tsl: {}
`)
	want := []string{
		`3:14: URL "tcp://127.0.0.1" has no port`,
		"5:5: tls options need a tls:// URL",
		`7:12: min_version must be 1.0, 1.1, 1.2 or 1.3, not "1.4"`,
		"7:32: cert needs key",
		"8:13: a tls listener needs tls: { cert: FILE, key: FILE }",
		`10:17: max_buffer: "lots" is not a size`,
		`11:18: line_ending "\\q": unknown escape \q`,
		"12:22: send has both line and hex",
		"13:10: send needs a value",
		"14:30: nothing: true waits for silence; it cannot go with equals",
		"15:12: expect needs text to wait for",
		"16:13: accept takes true",
		"17:12: tcp has no fetch action",
		"dta",
		`20:18: hex: 'g' is not a hex digit`,
		`22:5: unknown key "tsl"`,
	}
	all := strings.Join(errs, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("missing error %q", w)
		}
	}
	if t.Failed() {
		t.Logf("errors:\n%s", all)
	}
}
