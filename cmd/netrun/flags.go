package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// varFlag defines --var NAME=VALUE on fs, repeatable, into vars. reserved
// names a var the command sets itself, with why ("" for none).
func varFlag(fs *flag.FlagSet, vars map[string]string, reserved, why string) {
	fs.Func("var", "", func(s string) error {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return fmt.Errorf("--var takes NAME=VALUE, not %q", s)
		}
		if reserved != "" && k == reserved {
			return errors.New(why)
		}
		vars[k] = v
		return nil
	})
}

// userFlag defines name (--sandbox-user or --user) NAME:PASSWORD on fs,
// repeatable, into users: the sandbox's users, replacing alice and bob.
// A malformed value is not refused while parsing, because the flag package
// would echo it, password and all: the returned check reports it after
// parsing, naming the user part only.
func userFlag(fs *flag.FlagSet, name string, users map[string]string) (check func() error) {
	var bad []string
	fs.Func(name, "", func(s string) error {
		u, p, ok := strings.Cut(s, ":")
		if !ok || u == "" || p == "" || strings.ContainsAny(u, " \t@/") {
			bad = append(bad, u)
			return nil
		}
		users[u] = p
		return nil
	})
	return func() error {
		if len(bad) > 0 {
			return fmt.Errorf("--%s %q: takes NAME:PASSWORD (a name without spaces, @ or /)", name, bad[0])
		}
		return nil
	}
}

// parseInterleaved parses args with fs, flags before, between and after
// the other arguments, which it returns in order.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	args = joinedShorts(args)
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// joinedShorts rewrites -jN (a number joined to -j, as in make -j4) into
// -j=N, before any "--".
func joinedShorts(args []string) []string {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		if n, ok := strings.CutPrefix(a, "-j"); ok && n != "" && n[0] >= '0' && n[0] <= '9' {
			a = "-j=" + n
		}
		out = append(out, a)
	}
	return out
}

// colorFlag parses --color auto|always|never into c.
func colorFlag(c *string) func(string) error {
	return func(s string) error {
		switch s {
		case "auto", "always", "never":
			*c = s
			return nil
		}
		return fmt.Errorf("--color takes auto, always or never, not %q", s)
	}
}

// newFlags returns the flag set of the command name: it returns its
// errors and prints nothing (the command says them, see parsed).
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}
