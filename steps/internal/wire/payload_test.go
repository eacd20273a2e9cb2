package wire

import (
	"bytes"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"go.yaml.in/yaml/v4"
)

func TestPayloadBytes(t *testing.T) {
	lit := engine.NewTemplate
	tests := []struct {
		name       string
		p          Payload
		lineEnding string
		want       string
	}{
		{"text as is", Payload{Text: lit("hello")}, "", "hello"},
		{"line default CRLF", Payload{Line: lit("PING")}, "", "PING\r\n"},
		{"line connection ending", Payload{Line: lit("PING")}, "\n", "PING\n"},
		{"line own ending", Payload{Line: lit("PING"), LineEnding: lit("lf")}, "\r\n", "PING\n"},
		{"line escaped ending", Payload{Line: lit("PING"), LineEnding: lit(`\r\n`)}, "\n", "PING\r\n"},
		{"hex with spaces", Payload{Hex: lit("de ad\nBE EF")}, "", "\xde\xad\xbe\xef"},
		{"base64", Payload{Base64: lit("3q2+7w==")}, "", "\xde\xad\xbe\xef"},
		{"base64 unpadded", Payload{Base64: lit("3q2+7w")}, "", "\xde\xad\xbe\xef"},
	}
	for _, tt := range tests {
		got, err := tt.p.Bytes(nil, tt.lineEnding)
		if err != nil || !bytes.Equal(got, []byte(tt.want)) {
			t.Errorf("%s: got %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"0g", `'g' is not a hex digit`},
		{"abc", "odd number of digits"},
	} {
		if _, err := decodeHex(tt.in); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("hex %q: %v, want %q", tt.in, err, tt.want)
		}
	}
	if _, err := decodeBase64("@@@"); err == nil || !strings.Contains(err.Error(), "illegal base64") {
		t.Errorf("base64: %v", err)
	}
}

// loadYAML decodes src into v as the loader would, without compiling.
func loadYAML(t *testing.T, src string, v any) error {
	t.Helper()
	var n yaml.Node
	if err := yaml.Load([]byte(src), &n); err != nil {
		t.Fatal(err)
	}
	return n.Content[0].Load(v, yaml.WithKnownFields())
}

func TestPayloadYAML(t *testing.T) {
	tests := []struct{ src, want string }{
		{`hello`, ""},
		{`{ line: EHLO x, line_ending: lf }`, ""},
		{`{ hex: "00 ff" }`, ""},
		{`{ hex: "{{ h }}" }`, ""},
		{`{ file: data.bin }`, ""},
		{`{ line: a, hex: "00" }`, "1:12: send has both line and hex"},
		{`{ }`, "send needs one of line, hex, base64 or file"},
		{`{ hex: "0g" }`, `1:8: hex: 'g' is not a hex digit`},
		{`{ base64: "@@" }`, `1:11: base64: illegal base64 data`},
		{`{ hex: "00", line_ending: lf }`, "1:14: line_ending goes with line"},
		{`{ line: x, line_ending: "" }`, "line_ending is empty"},
		{`{ lien: x }`, `unknown key "lien"`},
		{`[a]`, "send takes text or a mapping"},
	}
	for _, tt := range tests {
		var p Payload
		err := loadYAML(t, tt.src, &p)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.src, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want %q", tt.src, err, tt.want)
		}
	}
	var p Payload
	if err := loadYAML(t, `{ line: "a" }`, &p); err != nil || p.Describe() != `line "a"` {
		t.Errorf("describe: %q, %v", p.Describe(), err)
	}
}
