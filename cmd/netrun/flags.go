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
func userFlag(fs *flag.FlagSet, name string, users map[string]string) {
	fs.Func(name, "", func(s string) error {
		u, p, ok := strings.Cut(s, ":")
		if !ok || u == "" || p == "" || strings.ContainsAny(u, " \t@/") {
			return fmt.Errorf("--%s takes NAME:PASSWORD (a name without spaces, @ or /), not %q", name, s)
		}
		users[u] = p
		return nil
	})
}
