//go:build linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestSecondCtrlCWithStdoutBlocked runs netrun (this test binary, as
// testscript runs it) with its output to a pipe that nobody reads (a
// paused `| less`): once the pipe is full and netrun blocked on it, two
// Ctrl-C still end it, with status 130.
func TestSecondCtrlCWithStdoutBlocked(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 6,000 steps")
	}
	file := filepath.Join(t.TempDir(), "big.yaml")
	var b strings.Builder
	b.WriteString("name: big\nvars:\n  echo: '{{ sandbox(\"echo-tcp\") }}'\nsteps:\n  - connect: tcp://{{ echo }}\n")
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&b, "  - send: { line: hello-%d }\n  - expect: { line: true, equals: hello-%d }\n", i, i)
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := &exec.Cmd{Path: os.Args[0], Args: []string{"netrun", "run", file}, Stdout: w, Stderr: &stderr,
		Env: append(os.Environ(), "NO_COLOR=1")}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	waitPipeFull(t, r, exited)
	// Ctrl-C until netrun ends: two signals sent at once may arrive as
	// one. The bound is only against a hang.
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for deadline := time.Now().Add(10 * time.Second); ; {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case err := <-exited:
			if cmd.ProcessState.ExitCode() != exitInterrupted {
				t.Fatalf("netrun ended with %v, want status %d:\n%s", err, exitInterrupted, stderr.String())
			}
			return
		case <-tick.C:
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Signal(unix.SIGQUIT)
			<-exited
			t.Fatalf("netrun still running 10s after the second Ctrl-C:\n%s", stderr.String())
		}
	}
}

// waitPipeFull waits until the pipe r reads from is full: netrun is then
// blocked writing to it, or soon will be.
func waitPipeFull(t *testing.T, r *os.File, exited <-chan error) {
	t.Helper()
	size, err := unix.FcntlInt(r.Fd(), unix.F_GETPIPE_SZ, 0)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); ; {
		n, err := unix.IoctlGetInt(int(r.Fd()), unix.TIOCINQ)
		if err != nil {
			t.Fatal(err)
		}
		if n >= size {
			return
		}
		select {
		case err := <-exited:
			t.Fatalf("netrun ended (%v) before filling the pipe (%d of %d bytes)", err, n, size)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the pipe holds %d of %d bytes after 60s", n, size)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
