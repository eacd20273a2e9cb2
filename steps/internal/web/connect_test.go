package web

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestURLs(t *testing.T) {
	p := URLs{Secure: "wss", Check: func(raw string, u *url.URL) error {
		if u.User != nil {
			return errors.New("no user in " + raw)
		}
		u.Path = strings.TrimSuffix(u.Path, "/")
		return nil
	}}
	for _, tc := range []struct{ raw, scheme, url, addr, err string }{
		{"wss://h/chat/", "wss", "wss://h/chat", "h:443", ""},
		{"ws://h:8080/", "ws", "ws://h:8080", "h:8080", ""},
		{"ws://h", "ws", "ws://h", "h:80", ""},
		{"ws://u@h/", "ws", "", "", "no user in ws://u@h/"},
		{"ws://h", "wss", "", "", "expected wss://host[:port][/path]"},
	} {
		u, err := p.Parse(tc.raw, tc.scheme)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Parse(%q) = %v, %v; want an error with %q", tc.raw, u, err, tc.err)
			}
			continue
		}
		if err != nil || u.String() != tc.url || p.Addr(u).String() != tc.addr {
			t.Errorf("Parse(%q) = %v (%v), %v; want %s (%s)", tc.raw, u, p.Addr(u), err, tc.url, tc.addr)
		}
	}
}
