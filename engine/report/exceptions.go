package report

import (
	"fmt"
	"strings"

	"github.com/netrunhq/netrun/engine"
)

// detailExceptions is the kind of the lines that show what a program under
// test printed that looks like an exception.
const detailExceptions = 'x'

// exceptionText shows the exceptions of a failure, each under a line that
// says which program printed it where:
//
//	program "server" printed on stderr:
//	  Traceback (most recent call last):
//	  ...
//	  ConnectionResetError: [Errno 104] Connection reset by peer
//
// "" when there are none.
func exceptionText(c scrub, es []engine.Exception) string {
	var b strings.Builder
	for _, e := range es {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		who := programName(c, e.Program)
		if len(e.Lines) == 0 {
			if e.More > 0 {
				fmt.Fprintf(&b, "%s printed %d more exceptions on %s, not shown", who, e.More, e.Stream)
			}
			continue
		}
		fmt.Fprintf(&b, "%s printed on %s", who, e.Stream)
		if e.Count > 1 {
			fmt.Fprintf(&b, " (%d times)", e.Count)
		}
		b.WriteString(":")
		for _, l := range e.Lines {
			b.WriteString("\n  " + c.text(l))
		}
	}
	return b.String()
}

// programName names a program for a person: "the program" for spawn's
// default name, else `program "server"`.
func programName(c scrub, name string) string {
	if name == "" || name == "program" {
		return "the program"
	}
	return fmt.Sprintf("program %q", c.text(name))
}

// exceptionLine is the line that names the first exception of es, such as
// `ConnectionRefusedError: [Errno 111] Connection refused`, for a failure
// told on one line; "" when there is none.
func exceptionLine(c scrub, es []engine.Exception) string {
	for _, e := range es {
		for i := len(e.Lines) - 1; i >= 0; i-- {
			if l := strings.TrimSpace(e.Lines[i]); l != "" && l != "…" {
				return programName(c, e.Program) + " printed: " + c.text(l)
			}
		}
	}
	return ""
}
