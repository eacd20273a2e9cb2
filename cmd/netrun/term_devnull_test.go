//go:build unix

package main

import (
	"os"
	"testing"
)

// /dev/null is a character device but not a terminal: no live line and no
// colour there (compare.py and cron jobs send netrun's output to it).
func TestDevNullIsNotATerminal(t *testing.T) {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	if _, tty := ttyOf(f); tty {
		t.Fatalf("%s taken for a terminal", os.DevNull)
	}
	if got := terminal(f, "", func(string) string { return "" }); got.live || got.color {
		t.Fatalf("%s: %+v, want no live line and no colour", os.DevNull, got)
	}
}
