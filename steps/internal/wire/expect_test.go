package wire

import (
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"go.yaml.in/yaml/v4"
)

func TestExpectYAML(t *testing.T) {
	tests := []struct{ src, want, describe string }{
		{src: `"220 "`, describe: `"220 "`},
		{src: `{ line: true, equals: OK }`, describe: `line equals "OK"`},
		{src: `{ until: "\r\n.\r\n", match: '^\+OK' }`, describe: `until "\r\n.\r\n" match /^\+OK/`},
		{src: `{ bytes: 4 }`, describe: "4 bytes"},
		{src: `{ closed: true, contains: bye }`, describe: `closed contains "bye"`},
		{src: `{ nothing: true }`, describe: "nothing"},
		{src: `{ }`, describe: "data"},
		{src: `{ line: false, equals: x }`, describe: `equals "x"`},
		{src: `{ nothing: true, equals: x }`, want: "1:18: nothing: true waits for silence; it cannot go with equals"},
		{src: `{ line: true, until: x }`, want: "1:15: line and until both frame the data"},
		{src: `{ bytes: 3, closed: true }`, want: "bytes and closed both frame the data"},
		{src: `{ equals: a, match: b }`, want: "1:14: equals and match both match the data"},
		{src: `{ line_ending: lf }`, want: "1:3: line_ending goes with line: true"},
		{src: `{ line: true, line_ending: '\q' }`, want: `unknown escape \q`},
		{src: `{ until: "" }`, want: "until needs the delimiter"},
		{src: `{ bytes: 0 }`, want: "bytes must be 1 or more"},
		{src: `{ equal: x }`, want: `unknown key "equal" (did you mean "equals"?)`},
		{src: `[x]`, want: "expect takes text to wait for"},
		{src: `{ line: true, partial: true, match: x }`, describe: "line (or partial) match /x/"},
		{src: `{ closed: true, partial: true }`, describe: "closed (or partial)"},
		{src: `{ partial: true, contains: x }`, want: "1:3: partial goes with a framing (line, until, bytes or closed)"},
		{src: `{ nothing: true, partial: true }`, want: "nothing: true waits for silence; it cannot go with partial"},
	}
	for _, tt := range tests {
		var e Expect
		err := loadYAML(t, tt.src, &e)
		if tt.want != "" {
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: error %v, want %q", tt.src, err, tt.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		if got := e.Describe(); got != tt.describe {
			t.Errorf("%s: describe %q, want %q", tt.src, got, tt.describe)
		}
	}
}

func TestExpectCheckDatagram(t *testing.T) {
	node := func(src string) *yaml.Node {
		var n yaml.Node
		if err := yaml.Load([]byte(src), &n); err != nil {
			t.Fatal(err)
		}
		return n.Content[0]
	}
	if err := CheckDatagram(node(`{ line: true, equals: x }`), "udp"); err == nil || !strings.Contains(err.Error(), "1:3: udp expects one datagram at a time: line does not apply") {
		t.Errorf("line on udp: %v", err)
	}
	if err := CheckDatagram(node(`{ closed: true, partial: true }`), "udp"); err == nil || !strings.Contains(err.Error(), "1:17: udp expects one datagram at a time: partial does not apply") {
		t.Errorf("partial on udp: %v", err)
	}
	if err := CheckDatagram(node(`{ equals: x, reject: y }`), "udp"); err != nil {
		t.Errorf("matching on udp: %v", err)
	}
	if err := CheckDatagram(node(`hello`), "udp"); err != nil {
		t.Errorf("scalar on udp: %v", err)
	}
}

func TestExpectResolve(t *testing.T) {
	lit := engine.NewTemplate
	e := Expect{Line: true, LineEnding: lit("crlf"), Match: lit(`^(\d+)`), Reject: lit("ERR")}
	m, err := e.Resolve(nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.frame != frameLine || m.delim != "\r\n" || m.match.String() != `^(\d+)` || m.reject.String() != "ERR" {
		t.Errorf("resolved %+v", m)
	}
	if _, err := (&Expect{Match: lit("(")}).Resolve(nil); err == nil || !strings.Contains(err.Error(), "expect match") {
		t.Errorf("bad regexp: %v", err)
	}
	if _, err := (&Expect{Bytes: lit("0")}).Resolve(nil); err == nil {
		t.Error("bytes 0 resolved")
	}
}
