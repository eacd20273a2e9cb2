//go:build linux

package program

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestGuard gives the guard two process groups and two folders, then
// takes one of each back, and ends its input as netrun's death would: the
// group and folder left are killed and removed, the others untouched.
func TestGuard(t *testing.T) {
	start := func() int {
		cmd := exec.Command("sh", "-c", "sleep 1000 & exec sleep 1000")
		cmd.SysProcAttr = ownGroup()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { _ = cmd.Wait() }()
		t.Cleanup(func() { _ = signalGroup(cmd.Process.Pid, 9) })
		return cmd.Process.Pid
	}
	left, kept := start(), start()
	leftDir, keptDir := t.TempDir(), t.TempDir()
	leftDir = filepath.Join(leftDir, "with space\nand line")
	if err := os.Mkdir(leftDir, 0o755); err != nil {
		t.Fatal(err)
	}
	in := fmt.Sprintf("g+ %d\ng+ %d\nd+ %s\nd+ %s\ng- %d\nd- %s\nnonsense\ng+ 1\ng+ -5\n",
		left, kept, strconv.Quote(leftDir), strconv.Quote(keptDir), kept, strconv.Quote(keptDir))
	guardUntilEOF(strings.NewReader(in))
	if groupAlive(left) {
		t.Errorf("group %d is still alive: %s", left, groupMembers(left))
	}
	if _, err := os.Stat(leftDir); !os.IsNotExist(err) {
		t.Errorf("%q is still there (%v)", leftDir, err)
	}
	if !groupAlive(kept) {
		t.Errorf("group %d, taken back, was killed", kept)
	}
	if _, err := os.Stat(keptDir); err != nil {
		t.Errorf("%q, taken back, was removed: %v", keptDir, err)
	}
}
