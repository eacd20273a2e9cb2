package smtp

import "testing"

// TestCapabilityAuth: AUTH=PLAIN, the old form, counts as AUTH PLAIN
// only when the server lists no AUTH line.
func TestCapabilityAuth(t *testing.T) {
	for _, tc := range []struct {
		caps []string
		want string
	}{
		{[]string{"SIZE 100", "AUTH=LOGIN"}, "LOGIN "},
		{[]string{"AUTH=LOGIN", "auth PLAIN LOGIN"}, "PLAIN LOGIN"},
	} {
		c := &conn{caps: tc.caps}
		if got, ok := c.capability("AUTH"); !ok || got != tc.want {
			t.Errorf("%q: capability(AUTH) = %q, %v; want %q", tc.caps, got, ok, tc.want)
		}
	}
	if (&conn{caps: []string{"AUTH=LOGIN"}}).has("SIZE") {
		t.Error("has(SIZE) without SIZE")
	}
}
