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
