package main

import (
	"io"
	"os"
	"strconv"
)

// termOpts is how the console is shown: in colour, and with a live
// status line.
type termOpts struct {
	color bool
	// live is set on a terminal that can erase a line (not TERM=dumb).
	live bool
	// width is the terminal's width in columns (0: unknown).
	width int
}

// terminal decides how to show the console on w. flag is --color
// (auto, always, never; "" is auto). Colour: never with NO_COLOR set and
// not empty (https://no-color.org) or TERM=dumb, unless forced by
// --color=always or FORCE_COLOR (set, not empty and not 0);
// otherwise on a terminal. The status line needs a terminal and never
// goes to a pipe or a file.
func terminal(w io.Writer, flag string, getenv func(string) string) termOpts {
	fd, tty := ttyOf(w)
	t := decide(tty, flag, getenv)
	if t.live {
		t.width = termWidth(fd)
		if t.width == 0 {
			t.width, _ = strconv.Atoi(getenv("COLUMNS"))
		}
	}
	return t
}

// decide is terminal's choice for a writer that is a terminal (tty) or
// not.
func decide(tty bool, flag string, getenv func(string) string) termOpts {
	dumb := getenv("TERM") == "dumb"
	t := termOpts{live: tty && !dumb}
	force := getenv("FORCE_COLOR")
	switch {
	case flag == "always":
		t.color = true
	case flag == "never":
		t.color = false
	case getenv("NO_COLOR") != "":
		t.color = false
	case force != "" && force != "0" && force != "false":
		t.color = true
	default:
		t.color = tty && !dumb
	}
	return t
}

// ttyOf returns the file descriptor of w and whether it is a terminal.
func ttyOf(w io.Writer) (uintptr, bool) {
	f, ok := w.(*os.File)
	if !ok {
		return 0, false
	}
	st, err := f.Stat()
	return f.Fd(), err == nil && st.Mode()&os.ModeCharDevice != 0 && isTerminal(f.Fd())
}
