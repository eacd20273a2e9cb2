package mail_test

import (
	"testing"

	"github.com/netrunhq/netrun/internal/mail"
)

func TestCRLF(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "a": "a", "a\nb": "a\r\nb", "a\r\nb\r\n": "a\r\nb\r\n",
		"a\r\nb\nc\n": "a\r\nb\r\nc\r\n", "\n\n": "\r\n\r\n", "a\rb\n": "a\rb\r\n",
	} {
		if got := mail.CRLF(in); got != want {
			t.Errorf("CRLF(%q) = %q, want %q", in, got, want)
		}
	}
}
