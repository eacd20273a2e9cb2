//go:build !unix

package main

// termWidth returns 0: the width is unknown here, and $COLUMNS or 80
// columns are assumed.
func termWidth(fd uintptr) int { return 0 }

// isTerminal reports true: a character device is taken for a terminal
// here.
func isTerminal(fd uintptr) bool { return true }
