package engine

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadRefusesSpecialFiles: a named pipe hung validate and run for
// ever; /dev/zero, a socket and a directory are refused as well, before
// they are opened.
func TestLoadRefusesSpecialFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no named pipes or unix sockets")
	}
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "s.yaml")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	sub := filepath.Join(dir, "d.yaml")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for path, kind := range map[string]string{fifo: "a named pipe", sock: "a socket", sub: "a directory", "/dev/zero": "a character device"} {
		if _, err := os.Stat(path); err != nil {
			continue // no /dev/zero here
		}
		done := make(chan error, 1)
		go func() {
			_, err := LoadFile(path, testRegistry(t), LoadOptions{})
			done <- err
		}()
		select {
		case err := <-done:
			want := path + ": cannot read file: not a regular file (" + kind + ")"
			if err == nil || err.Error() != want {
				t.Errorf("got %v, want %s", err, want)
			}
		case <-time.After(time.Minute):
			t.Fatalf("%s: LoadFile blocked", path) // not a timing assertion: it hangs for ever otherwise
		}
	}
}

// TestLoadLargePlainFile: a file of 100,000 steps without aliases was
// refused as an alias bomb.
func TestLoadLargePlainFile(t *testing.T) {
	src := bigScenario(100000)
	sc, err := loadString(t, src)
	if err != nil {
		t.Fatalf("%.300v", err)
	}
	if len(sc.Steps) != 100001 {
		t.Fatalf("%d steps", len(sc.Steps))
	}
}

func bigScenario(n int) string {
	var b strings.Builder
	b.WriteString("name: big\nsteps:\n  - connect: fake://a\n")
	for i := range n {
		fmt.Fprintf(&b, "  - send: \"line %d\"\n", i)
	}
	return b.String()
}

// BenchmarkLoadLargePlainFile measures the load of 100,000 steps.
func BenchmarkLoadLargePlainFile(b *testing.B) {
	src := []byte(bigScenario(100000))
	reg, err := NewRegistry(fakePlugin{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadBytes("big.yaml", src, reg, LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestAliasesCounted: what aliases add is bounded, what is written is not.
func TestAliasesCounted(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: bomb\nvars:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n")
	prev := "a"
	for i := range 6 {
		name := fmt.Sprintf("b%d", i)
		fmt.Fprintf(&b, "  %s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", name, name, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = name
	}
	b.WriteString("steps:\n  - connect: fake://a\n")
	_, err := loadString(t, b.String())
	if err == nil || !strings.Contains(err.Error(), "test.yaml:1:1: aliases expand the file by more than 200000 values") {
		t.Fatalf("got %v", err)
	}
	// A few aliases in a large file are fine.
	small := strings.Replace(bigScenario(50000), "steps:\n", "vars:\n  v: &v [1, 2, 3]\n  w: *v\nsteps:\n", 1)
	if _, err := loadString(t, small); err != nil {
		t.Fatalf("%.300v", err)
	}
}

// TestRetryEveryFloor: a templated every of 0s is raised to the floor at
// run time, so that the peer is not flooded (346,245 attempts in 1 s).
func TestRetryEveryFloor(t *testing.T) {
	sc := mustLoad(t, `name: x
vars: { zero: 0s }
steps:
  - connect: fake://a
  - send: x
    retry: { until: result.count < 0, every: "{{ zero }}", within: 200ms }`)
	res := Run(context.Background(), sc, RunOptions{})
	if n := res.Steps[1].Attempts; n < 1 || n > 21 {
		t.Fatalf("%d attempts in 200ms, want at most 21 (one per %s)", n, MinRetryEvery)
	}
}

// TestBadBytePosition: a NUL or a byte that is not UTF-8 was reported at
// 1:1 whatever its place.
func TestBadBytePosition(t *testing.T) {
	for _, tt := range []struct {
		src       string
		line, col int
		msg       string
	}{
		{"name: x\nsteps:\n  - send: \"a\x00\"\n", 3, 13, "control character U+0000"},
		{"name: x\r\nsteps: \xff\r\n", 2, 8, "invalid UTF-8 (byte 0xff)"},
		{"name: x\rsteps:\r  - send: \x07\r", 3, 11, "control character U+0007"},
		{"name: é\n\x7f", 2, 1, "control character U+007F"},
		{"\uFEFFname: x\tok\n", 0, 0, ""},
	} {
		line, col, msg := badByte([]byte(tt.src))
		if line != tt.line || col != tt.col || !strings.HasPrefix(msg, tt.msg) {
			t.Errorf("%q: %d:%d %q, want %d:%d %q", tt.src, line, col, msg, tt.line, tt.col, tt.msg)
		}
	}
}

// TestManyKeys: a mapping of 50,000 vars, one given twice, loads in linear
// time and reports the one duplicate.
func TestManyKeys(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: many\nvars:\n")
	for i := range 50000 {
		fmt.Fprintf(&b, "  v%d: %d\n", i, i)
	}
	b.WriteString("  v7: again\nsteps:\n  - connect: fake://a\n")
	_, err := loadString(t, b.String())
	if err == nil || err.Error() != `test.yaml:50003:3: key "v7" is already defined at line 10` {
		t.Fatalf("got %.300v", err)
	}
}

// TestLoadManyIDsAndSaves: every step with an id, a save and an assert.
// Each expression was compiled against a struct of every name and id
// before it, so 5,000 such steps took 105 s and 14 GB; now an
// expression's environment holds only what it uses.
func TestLoadManyIDsAndSaves(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: many\nvars:\n  token: abc\nsteps:\n  - connect: fake://a\n    id: c0\n")
	for i := range 10000 {
		fmt.Fprintf(&b, "  - send: '{{ token }}'\n    id: s%d\n    save: { v%d: result.data }\n    assert: steps.c0.count == 0 && result.data != \"\"\n", i, i)
	}
	if _, err := loadString(t, b.String()); err != nil {
		t.Fatalf("%.300v", err)
	}
}

// TestNarrowEnvRuns: expressions compiled against only the names and ids
// they use see the right values at run time, whatever their order.
func TestNarrowEnvRuns(t *testing.T) {
	sc := mustLoad(t, `name: narrow
vars: { a: one, b: two, c: three }
secrets: { s: hidden }
steps:
  - connect: fake://x
    id: first
  - send: '{{ c }}-{{ a }}'
    id: second
    save: { got: result.data, n: result.count }
  - send: '{{ b }}'
    assert:
      - steps.second.data == "three-one"
      - got == "three-one" && n == 1
      - steps.first.count == 0 && result.count == 2
      - len(s) == 6 && a + b == "onetwo"
  - send: '{{ got }}'
    if: steps.second.count == 1 && c == "three"
    assert: result.data == "three-one"`)
	res := Run(context.Background(), sc, RunOptions{})
	if res.Status != Passed {
		for _, st := range res.Steps {
			t.Logf("%s: %s %+v", st.Name, st.Status, st.Failure)
		}
		t.Fatalf("scenario %s", res.Status)
	}
}
