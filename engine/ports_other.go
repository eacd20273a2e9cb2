//go:build !unix

package engine

import "syscall"

// noReuseAddr does nothing where listeners have no SO_REUSEADDR to undo.
func noReuseAddr(_, _ string, _ syscall.RawConn) error { return nil }

// claims does nothing where there is no flock: the bind check alone
// applies.
type claims struct{}

func (*claims) claim(int) bool { return true }
func (*claims) unclaim(int)    {}
func (*claims) release()       {}

// lockFork does nothing where programs are not started by fork.
func lockFork() (unlock func()) { return func() {} }
