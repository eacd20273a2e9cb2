package web

import (
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		raw, scheme string
		addr        string // host:port, or "" when an error is wanted
		err         string
	}{
		{"https://example.test/api", "https", "example.test:443", ""},
		{" http://127.0.0.1:8080 ", "http", "127.0.0.1:8080", ""},
		{"wss://[::1]/ws?x=1", "wss", "[::1]:443", ""},
		{"ws://h:80/", "ws", "h:80", ""},
		{"http://h", "https", "", "expected https://host[:port][/path]"},
		{"mailto:x@y", "mailto", "", "expected mailto://host"},
		{"http:///path", "http", "", "has no host"},
		{"http://h:0", "http", "", "must be a number from 1 to 65535"},
		{"http://h:99999", "http", "", "must be a number from 1 to 65535"},
		{"http://h:", "http", "", "the port after ':' is missing"},
		{"http://h\x7f", "http", "", "bad URL"},
	} {
		u, err := ParseURL(tc.raw, tc.scheme)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseURL(%q) = %v, %v; want an error with %q", tc.raw, u, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseURL(%q): %v", tc.raw, err)
			continue
		}
		secure := tc.scheme == "https" || tc.scheme == "wss"
		if got := Addr(u, secure).String(); got != tc.addr {
			t.Errorf("Addr(%q) = %s, want %s", tc.raw, got, tc.addr)
		}
	}
}
