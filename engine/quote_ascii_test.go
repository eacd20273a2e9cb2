package engine

import (
	"math/rand"
	"strconv"
	"testing"
)

// quoteASCII is strconv.Quote wherever it says ok.
func TestQuoteASCIIAsStrconv(t *testing.T) {
	cases := []string{"", "ping 1\r\n", "a\tb\n", `say "hi" \ bye`, "\x00", "\x7f", "é", "~ }{", "\r\n\r\n"}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 2000; i++ {
		b := make([]byte, r.Intn(40))
		for j := range b {
			b[j] = byte(r.Intn(0x90))
		}
		cases = append(cases, string(b))
	}
	for _, c := range cases {
		q, ok := quoteASCII([]byte(c))
		if !ok {
			if IsText([]byte(c)) && isPlainASCII(c) {
				t.Errorf("%q refused", c)
			}
			continue
		}
		if want := strconv.Quote(c); q != want {
			t.Errorf("%q: %s, want %s", c, q, want)
		}
	}
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x7f || (c < 0x20 && c != '\t' && c != '\r' && c != '\n') {
			return false
		}
	}
	return true
}
