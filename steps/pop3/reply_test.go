package pop3

import "testing"

// TestResponseCodes checks that the extended response code of RFC 2449
// lands in enhanced, out of the text, and back in the rendered line.
func TestResponseCodes(t *testing.T) {
	for _, tc := range []struct{ line, enhanced, text, back string }{
		{"-ERR [AUTH] invalid password", "AUTH", "invalid password", "-ERR [AUTH] invalid password"},
		{"-ERR [SYS/TEMP] try later", "SYS/TEMP", "try later", "-ERR [SYS/TEMP] try later"},
		{"+OK [LOGIN-DELAY] logged in", "LOGIN-DELAY", "logged in", "+OK [LOGIN-DELAY] logged in"},
		{"+OK 2 320", "", "2 320", "+OK 2 320"},
		{"-ERR [not a code] text", "", "[not a code] text", "-ERR [not a code] text"},
		{"-ERR [unclosed", "", "[unclosed", "-ERR [unclosed"},
	} {
		r, ok := parseStatus(tc.line)
		if !ok || r.Enhanced != tc.enhanced || r.Text != tc.text || r.String() != tc.back {
			t.Errorf("%q: ok %v, enhanced %q, text %q, string %q", tc.line, ok, r.Enhanced, r.Text, r.String())
		}
	}
}
