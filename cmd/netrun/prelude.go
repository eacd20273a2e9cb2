package main

// What the commands that run scenarios share as they start and end.

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/netrunhq/netrun/engine"
)

// parsed says what a command does once its flags are parsed with err:
// with --help, it prints help on stdout and ends with 0; on an error, it
// says "NAME: ERR" on stderr with a pointer to netrun CMD --help and ends
// with 2; else (done false) it goes on.
func parsed(err error, name, cmd, help string, stdout, stderr io.Writer) (status int, done bool) {
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, help)
		return exitOK, true
	case err != nil:
		fmt.Fprintf(stderr, "%s: %v\nRun 'netrun %s --help' for usage.\n", name, err, cmd)
		return exitInvalid, true
	}
	return exitOK, false
}

// openRegistry returns the registry of every plugin, its programs
// guarded (see useGuard), or says on stderr why there is none.
func openRegistry(stderr io.Writer) (*engine.Registry, bool) {
	reg, err := registry()
	if err != nil {
		fmt.Fprintln(stderr, "netrun:", err)
		return nil, false
	}
	return reg, true
}

// usersRedactor returns a redactor that knows the sandbox users'
// passwords.
func usersRedactor(users map[string]string) *engine.Redactor {
	red := engine.NewRedactor()
	for _, pw := range users {
		red.Add(pw)
	}
	return red
}

// emergency is what a second Ctrl-C does (see interrupts): kill every
// program under test in reg, flush what the console holds (flush must not
// block: see lagWriter.FlushWithin), say so, write the reports with write,
// which holds what it must so that no result changes meanwhile, and exit.
func emergency(reg *engine.Registry, stderr io.Writer, flush, write func()) func() {
	return func() {
		n := reg.KillAll()
		flush()
		fmt.Fprintf(stderr, "netrun: interrupted again: ending now (%d programs killed); writing the reports\n", n)
		write()
		os.Exit(exitInterrupted)
	}
}
