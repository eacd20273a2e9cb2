//go:build !unix

package engine

import "syscall"

// noReuseAddr does nothing where listeners have no SO_REUSEADDR to undo.
func noReuseAddr(_, _ string, _ syscall.RawConn) error { return nil }
