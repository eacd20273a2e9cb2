package program

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/tcp"
	"github.com/netrunhq/netrun/steps/udp"
)

// TestMain puts Python's own folder first in PATH: a version manager's
// shim (pyenv) costs a shell and more for each start of python3.
func TestMain(m *testing.M) {
	if exe, err := exec.Command("python3", "-c", "import sys; print(sys.executable)").Output(); err == nil {
		dir := filepath.Dir(strings.TrimSpace(string(exe)))
		os.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	os.Exit(m.Run())
}

// harness returns a steptest harness with the program, tcp and udp
// plugins.
func harness(t *testing.T) *steptest.Harness {
	t.Helper()
	return steptest.New(t, New(), tcp.Plugin{}, udp.Plugin{})
}

// writeScript writes an executable file name with body into dir.
func writeScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// needPython fails the test under CI when python3 is missing, and skips it
// elsewhere.
func needPython(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 is required under CI")
		}
		t.Skip("python3 not found")
	}
}

// spawnPid returns the pid (and process group) of the program that step i
// (1-based) spawned.
func spawnPid(t *testing.T, res *engine.ScenarioResult, i int) int {
	t.Helper()
	r, ok := res.Steps[i-1].Result.(SpawnResult)
	if !ok || r.Pid == 0 {
		t.Fatalf("step %d result %#v is not a spawn result", i, res.Steps[i-1].Result)
	}
	return r.Pid
}

// checkGone wants no process of the group pgid to be left: kill(-pgid, 0)
// must say ESRCH. Killed processes take a moment to be reaped by init, so
// it waits for that, up to a bound that only a leftover reaches.
func checkGone(t *testing.T, pgid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := syscall.Kill(-pgid, 0)
		if err == syscall.ESRCH {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("process group %d is still there (kill: %v): %s", pgid, err, groupMembers(pgid))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// groupMembers lists the processes of a group with their state, for a
// failure message.
func groupMembers(pgid int) string {
	var out []string
	procs, _ := os.ReadDir("/proc")
	for _, d := range procs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil || processGroup(pid) != pgid {
			continue
		}
		stat, _ := os.ReadFile(filepath.Join("/proc", d.Name(), "stat"))
		out = append(out, strings.TrimSpace(string(stat)))
	}
	return strings.Join(out, "; ")
}

// failureOf returns the failure message of step i (1-based).
func failureOf(t *testing.T, res *engine.ScenarioResult, i int) string {
	t.Helper()
	f := res.Steps[i-1].Failure
	if f == nil {
		t.Fatalf("step %d did not fail", i)
	}
	return f.Message
}

// wantAll wants s to contain each of subs.
func wantAll(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%q\ndoes not contain %q", s, sub)
		}
	}
}

// transcript joins the transcript of every step.
func transcript(res *engine.ScenarioResult) string {
	var b strings.Builder
	for _, st := range res.Steps {
		for _, l := range st.Transcript {
			b.WriteString(l.Dir + " " + l.Text + "\n")
		}
	}
	return b.String()
}
