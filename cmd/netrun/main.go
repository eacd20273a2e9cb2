// Command netrun runs declarative network scenarios: YAML files of connect,
// send, expect, fetch and assert steps over TCP, UDP, TLS and more.
package main

import (
	"fmt"
	"io"
	"log"
	"os"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/all"
	"github.com/netrunhq/netrun/steps/program"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailed      = 1
	exitInvalid     = 2
	exitInterrupted = 130 // 128 + SIGINT, as shells report it
)

func main() {
	// net/http's client writes some peer misbehaviour ("Unsolicited response
	// received on idle HTTP channel", from a student's server that sent more
	// than its Content-Length) to the standard logger, past netrun's output
	// and redaction. netrun says what a peer did in the step's result.
	log.SetOutput(io.Discard)
	os.Exit(netrun(os.Args[1:], os.Stdout, os.Stderr))
}

// registry lists every protocol plugin (steps/all), the spawn plugin
// guarded by a copy of netrun (see useGuard).
func registry() (*engine.Registry, error) {
	reg, err := all.Registry()
	if err == nil {
		useGuard(reg)
	}
	return reg, err
}

// netrun dispatches a command line and returns the exit status.
func netrun(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == program.GuardCommand {
		// netrun started by itself to outlive it (see useGuard).
		return program.Guard(os.Stdin)
	}
	cmds := commands()
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help":
			fmt.Fprint(stdout, usage(cmds))
			return exitOK
		case "--version", "-version":
			fmt.Fprintln(stdout, "netrun", version())
			return exitOK
		}
	}
	cmd, rest := pick(cmds, args)
	if cmd == nil {
		// Not a command, not a file, but close to a command's name.
		fmt.Fprintf(stderr, "netrun: unknown command %q (did you mean %q?), and no file of that name\nRun 'netrun --help' for usage.\n", args[0], engine.Suggest(args[0], names(cmds)))
		return exitInvalid
	}
	if cmd.help != "" && wantsHelp(rest) {
		fmt.Fprint(stdout, cmd.help)
		return exitOK
	}
	return cmd.run(rest, stdout, stderr)
}
