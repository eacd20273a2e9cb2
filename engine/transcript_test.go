package engine

import (
	"strings"
	"testing"
)

func TestReceivedTail(t *testing.T) {
	long := strings.Repeat("x", 300)
	for _, tc := range []struct {
		name  string
		lines []TranscriptLine
		want  string
	}{
		{"nothing received", []TranscriptLine{{">", `"hello\r\n"`}, {"*", "a note"}}, ""},
		{"lines joined, sent and notes skipped", []TranscriptLine{{"<", `"250-a\r\n"`}, {">", `"NOOP\r\n"`}, {"*", "note"}, {"<", `"250 b\r\n"`}},
			`"250-a\r\n250 b\r\n"`},
		{"the tail only", []TranscriptLine{{"<", `"head\n"`}, {"<", `"` + long + `"`}}, `…(44 bytes before) "` + long[:256] + `"`},
		{"hex is read back", []TranscriptLine{{"<", `"\x00"`}, {"<", "hex: ff 01"}}, "hex: 00 ff 01"},
		{"a cut line ends the search", []TranscriptLine{{"<", `"before"`}, {"<", `…(9 bytes before) "cut"`}, {"<", `"after"`}}, `"cutafter"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := receivedTail(tc.lines, 256); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
