package smtp

import "testing"

func TestParseURL(t *testing.T) {
	for _, tc := range []struct{ raw, scheme, want string }{
		{"smtp://mail.example.test", "smtp", "mail.example.test:25"},
		{"smtps://mail.example.test", "smtps", "mail.example.test:465"},
		{"smtp://mail.example.test:587", "smtp", "mail.example.test:587"},
		{"smtp://[::1]", "smtp", "[::1]:25"},
		{" smtp://127.0.0.1/ ", "smtp", "127.0.0.1:25"},
	} {
		a, err := protocol().ParseURL(tc.raw, tc.scheme)
		if err != nil || a.String() != tc.want {
			t.Errorf("parseURL(%q) = %v, %v; want %s", tc.raw, a, err, tc.want)
		}
	}
	for _, bad := range []string{"smtp://", "smtp://host:0", "smtp://host:x", "smtp://user@host", "smtp://host/path"} {
		if a, err := protocol().ParseURL(bad, "smtp"); err == nil {
			t.Errorf("parseURL(%q) = %v, want an error", bad, a)
		}
	}
}
