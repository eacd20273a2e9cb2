//go:build unix

package engine

import (
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
)

// claims are the ports a Ports handed out, each held by an exclusive flock
// on a file named after it in a folder of the temporary folder. The kernel
// drops a lock when its process ends, however it ends, so a crashed netrun
// never keeps a port from the next one.
type claims struct {
	mu    sync.Mutex
	files map[int]*os.File
}

// claimDir is where the lock files live; they stay, empty, for reuse.
// Ports are shared by the whole machine, so the folder is the machine's
// /tmp and not $TMPDIR: CI runners and test harnesses (testscript) give
// each job its own $TMPDIR, and netrun processes with different ones must
// still see each other's claims.
func claimDir() string {
	if fi, err := os.Stat("/tmp"); err == nil && fi.IsDir() {
		return "/tmp/netrun-ports"
	}
	return filepath.Join(os.TempDir(), "netrun-ports")
}

// claim locks port for this process; false when another process holds it.
// Without a usable lock folder, every port counts as unclaimed: the
// bind check still applies.
func (c *claims) claim(port int) bool {
	dir := claimDir()
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return true
	}
	_ = os.Chmod(dir, os.ModeSticky|0o777) // as /tmp: every user may claim; fails unless ours
	// Read-only: flock needs no more, and another user's file opens too.
	f, err := os.OpenFile(filepath.Join(dir, strconv.Itoa(port)), os.O_CREATE|os.O_RDONLY, 0o666)
	if err != nil {
		return true
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.files == nil {
		c.files = map[int]*os.File{}
	}
	c.files[port] = f
	return true
}

// unclaim gives port back.
func (c *claims) unclaim(port int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.files[port]; ok {
		f.Close()
		delete(c.files, port)
	}
}

// release gives every port back.
func (c *claims) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for port, f := range c.files {
		f.Close()
		delete(c.files, port)
	}
}
