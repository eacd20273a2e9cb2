package main

import (
	"io"
	"testing"
)

// The transcripts of passing steps are kept for -v and for every report,
// and only then.
func TestTranscriptsShown(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"a.yaml"}, false},
		{[]string{"-v", "a.yaml"}, true},
		{[]string{"--json", "r.json", "a.yaml"}, true},
		{[]string{"--junit", "-", "a.yaml"}, true},
		{[]string{"--tap", "t.tap", "a.yaml"}, true},
		{[]string{"--gradescope", "g.json", "a.yaml"}, true},
		{[]string{"--prairielearn", "p.json", "a.yaml"}, true},
	} {
		f, _, err := parseRun(tc.args, io.Discard)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if got := transcriptsShown(f); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.args, got, tc.want)
		}
	}
}
