package mail

import (
	"strings"
	"testing"
)

func TestSplitEncodedWord(t *testing.T) {
	tests := []struct {
		name, word string
		max        int
		first      string // "" when no split is wanted
	}{
		// 网 is =E7=BD=91 (9 characters), 络 =E7=BB=9C.
		{"q at a character boundary", "=?UTF-8?q?=E7=BD=91=E7=BB=9C?=", 27, "=?UTF-8?q?=E7=BD=91?="},
		{"q never inside a character", "=?UTF-8?q?=E7=BD=91=E7=BB=9C?=", 20, ""},
		{"q ascii and escapes", "=?utf-8?q?ab_=E7=BD=91c?=", 16, "=?utf-8?q?ab_?="},
		{"b re-encoded", "=?UTF-8?b?572R57uc?=", 16, "=?UTF-8?b?572R?="},
		{"not utf-8", "=?gbk?q?=CD=F8=C2=E7?=", 15, ""},
		{"not an encoded word", "plain-text-word", 5, ""},
		{"nothing after the cut", "=?UTF-8?q?=E7=BD=91?=", 20, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, rest, ok := splitEncodedWord(tt.word, tt.max)
			if tt.first == "" {
				if ok {
					t.Fatalf("split into %q %q, want no split", first, rest)
				}
				return
			}
			if !ok || first != tt.first {
				t.Fatalf("first %q (ok %v), want %q", first, ok, tt.first)
			}
			if len(first) > tt.max {
				t.Errorf("first is %d characters, over %d", len(first), tt.max)
			}
			if whole, parts := decodeWords(tt.word), decodeWords(first+" "+rest); whole != parts || strings.ContainsRune(parts, '\uFFFD') {
				t.Errorf("the two words decode to %q, the word to %q", parts, whole)
			}
		})
	}
}

func TestFoldField(t *testing.T) {
	got, err := foldField("Subject", "a b "+strings.Repeat("c", 70)+"  d ")
	if err != nil {
		t.Fatal(err)
	}
	want := "Subject: a b\r\n " + strings.Repeat("c", 70) + "  d \r\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	// An empty word (two spaces) is never the start of a line.
	got, err = foldField("Subject", strings.Repeat("c", 66)+"  "+strings.Repeat("d", 5))
	if err != nil {
		t.Fatal(err)
	}
	want = "Subject: " + strings.Repeat("c", 66) + " \r\n " + strings.Repeat("d", 5) + "\r\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if got, _ := foldField("Subject", ""); got != "Subject: \r\n" {
		t.Errorf("empty value: %q", got)
	}
}
