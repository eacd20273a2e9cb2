//go:build unix

package engine

import "syscall"

// noReuseAddr turns SO_REUSEADDR, which Go sets on listeners, off.
func noReuseAddr(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 0)
	})
	if err != nil {
		return err
	}
	return serr
}

// lockFork keeps programs from being started (os/exec forks holding
// syscall.ForkLock for writing) until the returned function is called.
func lockFork() (unlock func()) {
	syscall.ForkLock.RLock()
	return syscall.ForkLock.RUnlock
}
