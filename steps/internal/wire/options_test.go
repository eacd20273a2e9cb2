package wire

import (
	"strings"
	"testing"
)

func TestParseLineEnding(t *testing.T) {
	for _, tt := range []struct{ in, want, err string }{
		{"crlf", "\r\n", ""},
		{"LF", "\n", ""},
		{"cr", "\r", ""},
		{"\r\n", "\r\n", ""},
		{`\r\n`, "\r\n", ""},
		{`\x00`, "\x00", ""},
		{";", ";", ""},
		{"", "", "empty"},
		{`\q`, "", `unknown escape \q`},
		{`\x1`, "", "two hex digits"},
		{`a\`, "", "lone backslash"},
	} {
		got, err := ParseLineEnding(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q: got %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// TestLineEndingNames: a misspelt name was sent as data ("crfl").
func TestLineEndingNames(t *testing.T) {
	for _, tt := range []struct{ in, err string }{
		{"crfl", `did you mean "crlf"?`},
		{"fl", `did you mean "lf"?`},
		{"CRLF ", ""},
		{"newline", "is not a line ending"},
		{`\r\n0`, "is not a line ending"},
	} {
		_, err := ParseLineEnding(tt.in)
		if tt.err == "" {
			if err != nil {
				t.Errorf("%q: %v", tt.in, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%q: error %v, want %q", tt.in, err, tt.err)
		}
	}
}
