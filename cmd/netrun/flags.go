package main

import (
	"errors"
	"flag"
	"fmt"
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
