package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadEach: more files than a batch, in order, each with its own
// scenario or error, although the files share compiled expressions: a
// file that does not declare the name another file's identical
// expression uses still fails, at its own position.
func TestLoadEach(t *testing.T) {
	dir := t.TempDir()
	const n = 2*loadBatch + 7
	var paths []string
	for i := 0; i < n; i++ {
		vars := "vars: { want: ok }\n"
		if i%5 == 3 {
			vars = "" // want is unknown here
		}
		src := fmt.Sprintf("name: s%d\n%ssteps:\n  - connect: fake://a\n    assert: want == \"ok\" && result.count >= 0\n", i, vars)
		p := filepath.Join(dir, fmt.Sprintf("s%03d.yaml", i))
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	next := 0
	LoadEach(paths, testRegistry(t), LoadOptions{}, func(i int, sc *Scenario, err error) {
		if i != next {
			t.Fatalf("file %d given before file %d", i, next)
		}
		next++
		if i%5 == 3 {
			want := paths[i] + `:4:13: unknown name "want"`
			if sc != nil || err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("file %d: got %v, %v; want an error %s", i, sc, err, want)
			}
			return
		}
		if err != nil || sc == nil || sc.Name != fmt.Sprintf("s%d", i) {
			t.Errorf("file %d: got %v, %v", i, sc, err)
		}
	})
	if next != n {
		t.Fatalf("%d files given, want %d", next, n)
	}
	scs, errs := LoadFiles(paths, testRegistry(t), LoadOptions{})
	for i := range paths {
		if (scs[i] == nil) == (errs[i] == nil) {
			t.Errorf("LoadFiles %d: %v, %v", i, scs[i], errs[i])
		}
	}
}
