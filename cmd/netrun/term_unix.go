//go:build unix

package main

import "golang.org/x/sys/unix"

// termWidth returns the width of the terminal fd in columns, 0 when
// unknown.
func termWidth(fd uintptr) int {
	ws, err := unix.IoctlGetWinsize(int(fd), unix.TIOCGWINSZ)
	if err != nil {
		return 0
	}
	return int(ws.Col)
}

// isTerminal reports whether fd is a terminal. A character device is not
// enough: /dev/null is one, and a live line drawn there costs three writes
// a step for nothing.
func isTerminal(fd uintptr) bool {
	_, err := unix.IoctlGetWinsize(int(fd), unix.TIOCGWINSZ)
	return err == nil
}
