package program

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSplit checks the shell-word splitter: it never panics; no word is
// longer than the line; and words written back in single quotes (a quote
// inside as quote, backslash, quote, quote) split back into the same words.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"", "python3 server.py", `a'b c'"d"`, `''`, `"a \" b" \$x`, "a\\\nb", `'unclosed`,
		`"unclosed`, `\`, "\t a  b\r\n", `"\\"`, `"$HOME" > out`, "日本 'é ü'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		words, err := Split(line)
		if err != nil {
			if words != nil {
				t.Fatalf("%q: words %q with error %v", line, words, err)
			}
			return
		}
		if !utf8.ValidString(line) {
			// Split works on runes: a byte that is not UTF-8 becomes
			// U+FFFD (FuzzSplit found "\xdf"), so its words are not
			// checked against the line.
			return
		}
		for _, w := range words {
			if len(w) > len(line) || !utf8.ValidString(w) {
				t.Fatalf("%q: word %q longer than the line, or not UTF-8", line, w)
			}
		}
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
		}
		joined := strings.Join(quoted, " ")
		back, err := Split(joined)
		if err != nil {
			t.Fatalf("%q gave %q, written back as %q: %v", line, words, joined, err)
		}
		if len(back) != len(words) {
			t.Fatalf("%q gave %q; written back as %q it gives %q", line, words, joined, back)
		}
		for i := range words {
			if back[i] != words[i] {
				t.Fatalf("%q gave %q; written back as %q it gives %q", line, words, joined, back)
			}
		}
	})
}
