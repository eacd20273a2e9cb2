package lineproto

import "testing"

func TestCapability(t *testing.T) {
	caps := []string{"PIPELINING", " size 1000000", "AUTH PLAIN LOGIN", "AUTH CRAM-MD5"}
	for _, tc := range []struct {
		name, params string
		ok           bool
	}{
		{"pipelining", "", true},
		{"SIZE", "1000000", true},
		{"AUTH", "PLAIN LOGIN", true},
		{"PIPE", "", false},
		{"STARTTLS", "", false},
	} {
		params, ok := Capability(caps, tc.name)
		if params != tc.params || ok != tc.ok || HasCapability(caps, tc.name) != tc.ok {
			t.Errorf("Capability(%q) = %q, %v; want %q, %v", tc.name, params, ok, tc.params, tc.ok)
		}
	}
	if got := ListCapabilities(caps[:2], "none"); got != "PIPELINING,  size 1000000" {
		t.Errorf("ListCapabilities = %q", got)
	}
	if got := ListCapabilities(nil, "none"); got != "none" {
		t.Errorf("ListCapabilities(nil) = %q", got)
	}
}
