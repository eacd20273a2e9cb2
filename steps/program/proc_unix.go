//go:build unix

package program

import "syscall"

// signalGroup sends sig to every process of the group pgid.
func signalGroup(pgid int, sig syscall.Signal) error {
	return syscall.Kill(-pgid, sig)
}

// errUnsupported is nil on Unix: spawn works.
var errUnsupported error

// groupExists reports whether a process of the group pgid is left
// (zombies included).
func groupExists(pgid int) bool {
	return syscall.Kill(-pgid, 0) != syscall.ESRCH
}

// ownGroup puts a process in a process group of its own.
func ownGroup() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }
