package netconn

import (
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	for _, tt := range []struct {
		in     string
		listen bool
		want   string
		err    string
	}{
		{in: "tcp://127.0.0.1:7", want: "127.0.0.1:7"},
		{in: "tcp://[::1]:7/", want: "[::1]:7"},
		{in: "udp://example.test:53", want: "example.test:53"},
		{in: "tcp://127.0.0.1:0", listen: true, want: "127.0.0.1:0"},
		{in: "tcp://:0", listen: true, want: ":0"},
		{in: "tcp://127.0.0.1:0", err: "from 1 to 65535"},
		{in: "tcp://host", err: "has no port"},
		{in: "tcp://:7", err: "has no host"},
		{in: "tcp://h:70000", err: "from 1 to 65535"},
		{in: "tcp://h:7/path", err: "has a path"},
		{in: "tcp://u@h:7", err: "has a user name"},
		{in: "host:7", err: "expected"},
		// Made by a template: url.Parse reads these as host "::1", port
		// 52655, and host ":", port 1.
		{in: "tcp://::1:52655", err: "an IPv6 address goes in brackets"},
		{in: "udp://::1", err: "an IPv6 address goes in brackets"},
		{in: "tcp://[fe80::1%25eth0]:7", want: "[fe80::1%eth0]:7"},
	} {
		a, err := ParseURL(tt.in, tt.listen)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || a.String() != tt.want {
			t.Errorf("%q: got %q, %v; want %q", tt.in, a, err, tt.want)
		}
	}
}
