package mail

import "testing"

func TestValidHeaderName(t *testing.T) {
	for name, want := range map[string]bool{
		"X-Netrun-Token": true,
		"Reply-To":       true,
		"a":              true,
		"~!#":            true,
		"":               false,
		"X Token":        false,
		"X:Token":        false,
		"X-Tök":          false,
		"X\tA":           false,
		"X\x7f":          false,
	} {
		if got := ValidHeaderName(name); got != want {
			t.Errorf("ValidHeaderName(%q) = %v, want %v", name, got, want)
		}
	}
}
