//go:build linux

package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNothingOutlivesNetrun runs netrun (this test binary, as testscript
// runs it) on a program that starts `sleep 1000 &`, ends netrun abruptly,
// and wants every process of the program's group gone and its temporary
// folder removed: after SIGKILL, which netrun cannot catch, and after a
// second Ctrl-C, which ends it at once.
func TestNothingOutlivesNetrun(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "guarded.yaml")
	if err := os.WriteFile(file, []byte(`name: guarded
steps:
  - spawn:
      run: [sh, -c, 'trap "" TERM; sleep 1000 & echo "child $!"; exec sleep 1000']
      ready: { stdout: child }
  - sleep: 1h
`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		end  func(p *os.Process)
	}{
		{"SIGKILL", func(p *os.Process) { _ = p.Signal(syscall.SIGKILL) }},
		{"two Ctrl-C", func(p *os.Process) { _ = p.Signal(os.Interrupt); _ = p.Signal(os.Interrupt) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cmd := &exec.Cmd{Path: os.Args[0], Args: []string{"netrun", "-v", file}, Env: append(os.Environ(), "NO_COLOR=1")}
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
			// The spawn step's transcript names the program's pid (its
			// group) and its folder.
			started := regexp.MustCompile(`started .*, pid (\d+), in (\S+)`)
			var pgid int
			var folder string
			sc := bufio.NewScanner(out)
			for pgid == 0 && sc.Scan() {
				if m := started.FindStringSubmatch(sc.Text()); m != nil {
					pgid, _ = strconv.Atoi(m[1])
					folder = m[2]
				}
			}
			if pgid == 0 {
				t.Fatalf("netrun did not say where the program runs (%v)", sc.Err())
			}
			before := liveMembers(pgid)
			tc.end(cmd.Process)
			go func() {
				for sc.Scan() {
				}
			}()
			_ = cmd.Wait()
			// The guard acts at once; the bound is only for a loaded
			// machine.
			deadline := time.Now().Add(10 * time.Second)
			for {
				left := liveMembers(pgid)
				_, statErr := os.Stat(folder)
				if len(left) == 0 && os.IsNotExist(statErr) {
					t.Logf("%d processes of group %d before, none left; %s removed", len(before), pgid, folder)
					return
				}
				if time.Now().After(deadline) {
					for _, pid := range left {
						_ = syscall.Kill(pid, syscall.SIGKILL)
					}
					_ = os.RemoveAll(folder)
					t.Fatalf("after netrun ended: %d of the %d processes of group %d left (%v); folder %s: %v",
						len(left), len(before), pgid, left, folder, statErr)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

// liveMembers lists the processes of the group pgid that are not zombies.
func liveMembers(pgid int) []int {
	var out []int
	procs, _ := os.ReadDir("/proc")
	for _, d := range procs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", d.Name(), "stat"))
		if err != nil {
			continue
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) > 2 && f[2] == strconv.Itoa(pgid) && f[0] != "Z" {
			out = append(out, pid)
		}
	}
	return out
}
