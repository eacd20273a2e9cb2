package engine

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestLoadErrorsGolden pins the exact, positioned error output for each bad
// file in testdata/errors.
func TestLoadErrorsGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	reg := testRegistry(t)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			sc, err := LoadFile(filepath.ToSlash(f), reg, LoadOptions{Services: []string{"echo-tcp", "smtp", "ca"}})
			if err == nil {
				t.Fatalf("loaded %s without error: %+v", f, sc)
			}
			got := err.Error() + "\n"
			for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
				if !strings.HasPrefix(line, filepath.ToSlash(f)+":") {
					t.Errorf("error line not positioned: %q", line)
				}
			}
			golden := strings.TrimSuffix(f, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden (run go test -update): %v", err)
			}
			if got != string(want) {
				t.Errorf("errors differ from %s\n--- got\n%s--- want\n%s", golden, got, want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := LoadFile("testdata/nope.yaml", testRegistry(t), LoadOptions{})
	if err == nil || !strings.HasPrefix(err.Error(), "testdata/nope.yaml: cannot read file: no such file") {
		t.Fatalf("got %v", err)
	}
}
