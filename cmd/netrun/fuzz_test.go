package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/sandbox"
)

// FuzzLoadAll loads arbitrary bytes with every plugin of this build, as
// netrun validate does, so that each protocol's decoding is fuzzed too.
// It must not panic, must give a scenario or a non-empty list of errors,
// each positioned inside the file, and the same answer twice.
func FuzzLoadAll(f *testing.F) {
	for _, pat := range []string{"testdata/bad/*.yaml", "../../engine/testdata/corpus/*/*.yaml"} {
		files, _ := filepath.Glob(pat)
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil && len(b) < 4096 {
				f.Add(b)
			}
		}
	}
	reg, err := registry()
	if err != nil {
		f.Fatal(err)
	}
	opts := engine.LoadOptions{Services: sandbox.Names()}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 2
		sc, err := engine.LoadBytes("f.yaml", data, reg, opts)
		if (sc == nil) == (err == nil) {
			t.Fatalf("scenario %v and error %v", sc, err)
		}
		if err == nil {
			return
		}
		list, ok := err.(engine.ErrorList)
		if !ok || len(list) == 0 {
			t.Fatalf("error %T %v is not a non-empty ErrorList", err, err)
		}
		for _, e := range list {
			if e.Pos.File != "f.yaml" || e.Pos.Line < 1 || e.Pos.Line > lines || e.Pos.Col < 1 || e.Msg == "" {
				t.Fatalf("badly positioned error %q (%+v) in a file of %d lines", e.Error(), e.Pos, lines)
			}
			if utf8.Valid(data) && !utf8.ValidString(e.Msg) {
				t.Fatalf("message not UTF-8: %q", e.Msg)
			}
		}
		if _, err2 := engine.LoadBytes("f.yaml", data, reg, opts); err2 == nil || err2.Error() != err.Error() {
			t.Fatalf("second load differs:\n%v\n---\n%v", err, err2)
		}
	})
}
