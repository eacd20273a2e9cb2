package mail

import (
	netmail "net/mail"
	"testing"
)

// TestParseDateFastPath: the RFC 1123 layout tried first gives the same
// instant and zone as net/mail's ParseDate, and the forms it does not
// take still parse.
func TestParseDateFastPath(t *testing.T) {
	for _, v := range []string{
		"Mon, 07 Dec 2026 23:23:03 +0000",
		"Tue, 07 Dec 2026 23:23:03 -0730", // a wrong weekday, as ParseDate takes it
		"Mon, 7 Dec 2026 23:23:03 +0100",
		"Mon,  7 Dec 2026 23:23:03 +0000 (UTC)",
		"7 Dec 2026 23:23:03 GMT",
		"Mon, 07 Dec 2026 23:23 +0000",
	} {
		want, err := netmail.ParseDate(v)
		if err != nil {
			t.Fatalf("%q: net/mail: %v", v, err)
		}
		got := parseDate(v)
		if !got.Equal(want) || got.Format("-0700 MST") != want.Format("-0700 MST") {
			t.Errorf("%q: got %v, net/mail %v", v, got, want)
		}
	}
	if got := parseDate("not a date"); !got.IsZero() {
		t.Errorf("not a date: %v", got)
	}
}
