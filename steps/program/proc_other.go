//go:build unix && !linux

package program

import (
	"os"
	"syscall"
)

// sysProcAttr puts the program in a process group of its own, so that
// stopping it reaches every process it started.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// waitExit is not available outside Linux (errNoWaitid): the program is
// reaped as soon as it ends instead.
func waitExit(int) (exitInfo, error) { return exitInfo{}, errNoWaitid }

// adoptOrphans does nothing outside Linux: init reaps what a program
// leaves behind.
func adoptOrphans() {}

// reapGroup does nothing outside Linux; see adoptOrphans.
func reapGroup(int) {}

// setPipeSize does nothing outside Linux: pipes keep their size.
func setPipeSize(*os.File, int) {}
