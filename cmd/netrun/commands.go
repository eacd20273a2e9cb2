package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/schema"
	"github.com/netrunhq/netrun/steps/all"
)

// command is one subcommand of netrun.
type command struct {
	name string
	// synopsis is the command's line in netrun --help.
	synopsis string
	// help is the text of netrun NAME --help, on stdout; "" leaves
	// --help to run.
	help string
	// flags are the command's flags, for shell completion.
	flags []string
	run   func(args []string, stdout, stderr io.Writer) int
}

// commands is the registry of netrun's subcommands, in the order of
// netrun --help. A new subcommand is one more entry: its run function
// takes the arguments after its name.
func commands() []*command {
	return []*command{
		{name: "run", synopsis: "run scenarios (the default: netrun FILE|DIR...)", help: runHelp, flags: []string{"-j", "--verbose", "--var", "--tags", "--color", "--junit", "--junit-flavor", "--json", "--tap", "--gradescope", "--prairielearn", "--sandbox-user", "--shard", "--shard-by"}, run: runCmd},
		{name: "grade", synopsis: "grade each student's program with exercise scenarios", help: gradeHelp, flags: []string{"--submissions", "--out", "-j", "--exercises", "--var", "--sandbox-user", "--prairielearn", "--junit-flavor", "--color", "--shard", "--shard-by"}, run: gradeCmd},
		{name: "merge", synopsis: "merge the JSON reports of a run's shards (docs/scale-out.md)", help: mergeHelp, flags: []string{"-o"}, run: mergeCmd},
		{name: "exporter", synopsis: "serve multi-step probes to Prometheus (docs/exporter.md)", help: exporterHelp, flags: []string{"--listen", "--config"}, run: exporterCmd},
		{name: "validate", synopsis: "check scenario files; run nothing", help: validateHelp, run: validate},
		{name: "sandbox", synopsis: "serve the built-in servers in the foreground", help: sandboxHelp, flags: []string{"--listen", "--port-base", "--user"}, run: sandboxCmd},
		{name: "schema", synopsis: "print the scenario JSON Schema (draft-07)", help: schemaHelp, run: schemaCmd},
		{name: "completion", synopsis: "print a shell completion script (bash, zsh, fish)", help: completionHelp, run: completionCmd},
		{name: "version", synopsis: "print the version", help: "Usage: netrun version\n\nPrints netrun's version and the VCS revision it was built from\n(also: netrun --version).\n", run: versionCmd},
		{name: "help", synopsis: "show help: netrun help [COMMAND]", help: "Usage: netrun help [COMMAND]\n\nShows netrun's help, or a command's (as netrun COMMAND --help does).\n", run: helpCmd},
	}
}

// pick returns the command args name and its arguments. Arguments that
// do not start with a command run scenarios, unless the first is no
// existing file and is close to a command's name: then cmd is nil.
func pick(cmds []*command, args []string) (*command, []string) {
	byName := map[string]*command{}
	for _, c := range cmds {
		byName[c.name] = c
	}
	if len(args) == 0 {
		return byName["run"], args
	}
	if c, ok := byName[args[0]]; ok {
		return c, args[1:]
	}
	a := args[0]
	if !strings.HasPrefix(a, "-") && !strings.ContainsAny(a, "./\\") {
		if _, err := os.Stat(a); err != nil && engine.Suggest(a, names(cmds)) != "" {
			return nil, args
		}
	}
	return byName["run"], args
}

func names(cmds []*command) []string {
	var out []string
	for _, c := range cmds {
		out = append(out, c.name)
	}
	return out
}

// wantsHelp reports whether args ask for help (before any "--").
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

func helpCmd(args []string, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 {
		fmt.Fprint(stdout, usage(cmds))
		return exitOK
	}
	for _, c := range cmds {
		if c.name == args[0] && c.help != "" {
			fmt.Fprint(stdout, c.help)
			return exitOK
		}
	}
	fmt.Fprintf(stderr, "netrun help: no command %q%s\n", args[0], suggestion(args[0], names(cmds)))
	return exitInvalid
}

func suggestion(s string, cands []string) string {
	if near := engine.Suggest(s, cands); near != "" {
		return fmt.Sprintf(" (did you mean %q?)", near)
	}
	return ""
}

func schemaCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "netrun schema: takes no arguments, not %q\n", args[0])
		return exitInvalid
	}
	reg, err := all.Registry()
	if err != nil {
		fmt.Fprintf(stderr, "netrun schema: %v\n", err)
		return exitInvalid
	}
	out, err := schema.Build(reg, all.Schemas()...)
	if err != nil {
		fmt.Fprintf(stderr, "netrun schema: %v\n", err)
		return exitInvalid
	}
	_, _ = stdout.Write(out)
	return exitOK
}

func versionCmd(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stdout, "netrun", version())
	return exitOK
}

// stampedVersion and stampedCommit are set by the release script
// (-ldflags "-X main.stampedVersion=v1.2.3 -X main.stampedCommit=abc…"),
// for builds without VCS information (-buildvcs=false); they are never
// assigned at run time.
var stampedVersion, stampedCommit string

// version is the release's version (stamped, or the module's version when
// installed with go install), with the VCS revision of the build.
func version() string {
	v := stampedVersion
	bi, ok := debug.ReadBuildInfo()
	if v == "" && ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	if v == "" {
		v = "devel"
	}
	if !ok {
		bi = &debug.BuildInfo{}
	}
	rev, when := stampedCommit, ""
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
			if len(rev) > 12 {
				rev = rev[:12]
			}
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" {
		v += " (" + rev
		if when != "" {
			v += " " + when
		}
		if dirty {
			v += ", modified"
		}
		v += ")"
	}
	if bi.GoVersion != "" {
		v += " " + bi.GoVersion
	}
	return v
}

// usage is the text of netrun --help.
func usage(cmds []*command) string {
	var b strings.Builder
	b.WriteString("netrun runs declarative network scenarios.\n\nUsage:\n  netrun [run] [flags] FILE|DIR...\n  netrun COMMAND [flags] [args]\n\nCommands:\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "  %-11s %s\n", c.name, c.synopsis)
	}
	b.WriteString("\nnetrun COMMAND --help shows a command's flags.\n\n")
	b.WriteString(runHelp)
	b.WriteString("\n" + gradeHelp)
	b.WriteString("\n" + exitHelp)
	return b.String()
}
