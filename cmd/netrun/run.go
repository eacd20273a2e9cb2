package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/engine/report"
	"github.com/netrunhq/netrun/sandbox"
)

// runFlags are the flags of netrun run.
type runFlags struct {
	jobs    int
	verbose bool
	vars    map[string]string
	tags    []string
	junit   string
	json    string
	tap     string
	// junitFlavor is the JUnit dialect (--junit-flavor).
	junitFlavor report.JUnitFlavor
	// gradescope and prairielearn are the paths of the grading reports.
	gradescope   string
	prairielearn string
	// users are the sandbox's users (--sandbox-user); empty: alice and bob.
	users map[string]string
	// color is --color: auto, always or never.
	color string
	// sh is --shard and --shard-by (shard.go).
	sh shardFlags
}

// parseRun parses flags that may stand before, between or after the files.
func parseRun(args []string, stderr io.Writer) (*runFlags, []string, error) {
	f := &runFlags{vars: map[string]string{}, users: map[string]string{}, junitFlavor: report.JUnitXunit2}
	fs := newFlags("netrun")
	fs.IntVar(&f.jobs, "j", 1, "")
	fs.BoolVar(&f.verbose, "v", false, "")
	fs.BoolVar(&f.verbose, "verbose", false, "")
	fs.Func("color", "", colorFlag(&f.color))
	fs.StringVar(&f.junit, "junit", "", "")
	fs.StringVar(&f.json, "json", "", "")
	fs.StringVar(&f.tap, "tap", "", "")
	fs.Func("junit-flavor", "", junitFlavorFlag(&f.junitFlavor))
	fs.StringVar(&f.gradescope, "gradescope", "", "")
	fs.StringVar(&f.prairielearn, "prairielearn", "", "")
	varFlag(fs, f.vars, "", "")
	f.sh.define(fs)
	checkUsers := userFlag(fs, "sandbox-user", f.users)
	fs.Func("tags", "", func(s string) error {
		for _, t := range strings.Split(s, ",") {
			if t = strings.TrimSpace(t); t != "" {
				f.tags = append(f.tags, t)
			}
		}
		return nil
	})
	files, err := parseInterleaved(fs, args)
	if err == nil {
		err = checkUsers()
	}
	if err != nil {
		return nil, nil, err
	}
	if f.jobs < 1 {
		return nil, nil, errors.New("-j must be 1 or more")
	}
	if len(files) == 0 {
		return nil, nil, errors.New("no scenario files given")
	}
	return f, files, nil
}

// loadAll loads every file with the plugins of reg; all errors of all
// files are printed, and returned per file for the reports.
func loadAll(args []string, vars map[string]string, reg *engine.Registry, stderr io.Writer) ([]*engine.Scenario, []report.Invalid, bool) {
	files, skipped, err := collect(args)
	if err != nil {
		fmt.Fprintln(stderr, "netrun:", err)
		return nil, []report.Invalid{report.NewInvalid("netrun", err)}, false
	}
	for _, s := range skipped {
		fmt.Fprintf(stderr, "netrun: skipped %s: not a scenario (no top-level steps)\n", s)
	}
	scs, errs := engine.LoadFiles(files, reg, engine.LoadOptions{Vars: vars, Services: sandbox.Names()})
	var out []*engine.Scenario
	var invalid []report.Invalid
	declared := map[string]bool{}
	for i, sc := range scs {
		if errs[i] != nil {
			fmt.Fprintln(stderr, errs[i])
			invalid = append(invalid, report.NewInvalid(files[i], errs[i]))
			continue
		}
		for _, b := range sc.Vars {
			declared[b.Name] = true
		}
		out = append(out, sc)
	}
	ok := len(invalid) == 0
	for k := range vars {
		if ok && !declared[k] {
			fmt.Fprintf(stderr, "netrun: --var %s: no scenario declares a var named %q\n", k, k)
			ok = false
		}
	}
	return out, invalid, ok
}

func validate(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "netrun validate: no files given")
		return exitInvalid
	}
	reg, ok := openRegistry(stderr)
	if !ok {
		return exitInvalid
	}
	files, skipped, err := collect(args)
	if err != nil {
		fmt.Fprintln(stderr, "netrun:", err)
		return exitInvalid
	}
	for _, s := range skipped {
		fmt.Fprintf(stderr, "netrun: skipped %s: not a scenario (no top-level steps)\n", s)
	}
	// Each scenario is dropped once checked: memory stays flat however
	// many files are given.
	valid := 0
	engine.LoadEach(files, reg, engine.LoadOptions{Services: sandbox.Names()}, func(_ int, _ *engine.Scenario, err error) {
		if err != nil {
			fmt.Fprintln(stderr, err)
			return
		}
		valid++
	})
	if valid < len(files) {
		return exitInvalid
	}
	fmt.Fprintf(stdout, "%d scenario files are valid\n", valid)
	return exitOK
}

func runCmd(args []string, stdout, stderr io.Writer) int {
	f, files, err := parseRun(args, stderr)
	if status, done := parsed(err, "netrun", "run", runHelp, stdout, stderr); done {
		return status
	}
	reg, ok := openRegistry(stderr)
	if !ok {
		return exitInvalid
	}
	scs, ok := loadRun(f, files, reg, stdout, stderr)
	if !ok {
		return exitInvalid
	}
	console := stdout
	if anyToStdout(runReports(f)) {
		console = stderr
	}
	// flushNow is the second Ctrl-C's: it never waits long for a reader
	// that has stopped reading.
	flushConsole, flushNow := func() {}, func() {}
	if _, tty := ttyOf(console); !tty {
		lag := newLagWriter(console, consoleLag)
		console, flushConsole = lag, lag.Flush
		flushNow = func() { lag.FlushWithin(emergencyFlush) }
	}
	defer flushConsole()
	red := usersRedactor(f.users)
	prog := &progress{scs: scs}
	// Whatever happens, no program under test outlives netrun.
	defer reg.KillAll()
	// reporting is held while reports are written, so that a second
	// Ctrl-C never exits while the normal path is half-way through a file.
	var reporting sync.Mutex
	ctx, stop := interrupts(emergency(reg, stderr, flushNow, func() {
		// A second Ctrl-C: end now, but with the reports.
		reporting.Lock() // held until the exit
		_ = writeReports(prog.snapshot("netrun was interrupted and ended before this scenario did"), f, red, stdout)
	}))
	defer stop()
	sb := sandbox.New(sandbox.Options{Users: f.users})
	defer sb.Close()
	results, notRun := execute(ctx, prog, f, sb, red, console)
	flushConsole()
	status := runStatus(ctx, results, notRun, stderr)
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		if err := appendStepSummary(os.Getenv("GITHUB_STEP_SUMMARY"), results, red); err != nil {
			fmt.Fprintln(stderr, "netrun: $GITHUB_STEP_SUMMARY:", err)
		}
	}
	reporting.Lock()
	defer reporting.Unlock()
	if err := writeReports(results, f, red, stdout); err != nil {
		fmt.Fprintln(stderr, "netrun:", err)
		status = exitFailed
	}
	return status
}

// runStatus is the exit status of a run: 130 when it was interrupted
// (said in one line on stderr), 1 when a scenario did not pass, else 0.
func runStatus(ctx context.Context, results []*engine.ScenarioResult, notRun int, stderr io.Writer) int {
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "netrun: interrupted: %s not run\n", plural(notRun, "scenario"))
		return exitInterrupted
	}
	for _, r := range results {
		if r.Status != engine.Passed {
			return exitFailed
		}
	}
	return exitOK
}

// loadRun loads the files of a run and picks its scenarios (tags, shard).
// It reports false, having said why on stderr, when nothing may run: a
// file is invalid (its reports then say so), --var program names no
// file, a report path cannot be written, or no scenario is left.
func loadRun(f *runFlags, files []string, reg *engine.Registry, stdout, stderr io.Writer) ([]*engine.Scenario, bool) {
	scs, invalid, ok := loadAll(files, f.vars, reg, stderr)
	if len(invalid) > 0 {
		// The reports say why nothing ran, instead of being left empty
		// or as the last run left them.
		if err := writeInvalidReports(invalid, f, stdout); err != nil {
			fmt.Fprintln(stderr, "netrun:", err)
		}
	}
	if !ok {
		return nil, false
	}
	if err := checkProgramPath(f.vars, scs); err != nil {
		fmt.Fprintln(stderr, "netrun:", err)
		return nil, false
	}
	// Only once the files have loaded: a report path that cannot be
	// written is a command-line error, found before anything is sent.
	if err := prepareReports(runReports(f)); err != nil {
		fmt.Fprintf(stderr, "netrun: %v\n", err)
		return nil, false
	}
	scs = withTags(scs, f.tags)
	if len(scs) == 0 {
		fmt.Fprintf(stderr, "netrun: no scenario is tagged %s\n", strings.Join(f.tags, " or "))
		return nil, false
	}
	scs, err := f.sh.scenarios(scs, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "netrun:", err)
		return nil, false
	}
	return scs, true
}

// withTags keeps the scenarios that have any of tags (all when none).
func withTags(scs []*engine.Scenario, tags []string) []*engine.Scenario {
	if len(tags) == 0 {
		return scs
	}
	var out []*engine.Scenario
	for _, sc := range scs {
	match:
		for _, t := range sc.Tags {
			for _, want := range tags {
				if t == want {
					out = append(out, sc)
					break match
				}
			}
		}
	}
	return out
}

// writeReports writes every report the flags ask for; one that fails does
// not keep the others from being written.
func writeReports(results []*engine.ScenarioResult, f *runFlags, red *engine.Redactor, stdout io.Writer) error {
	return writeReportFiles(runReports(f), results, red, stdout)
}

// writeInvalidReports writes the JUnit and JSON reports of a run that did
// not start because files are invalid. The grading reports are left as
// they are: they have no way to say so.
func writeInvalidReports(invalid []report.Invalid, f *runFlags, stdout io.Writer) error {
	var errs []error
	for _, w := range []struct {
		path  string
		write func(io.Writer) error
	}{
		{f.junit, func(w io.Writer) error { return report.WriteInvalidJUnit(w, invalid, f.junitFlavor) }},
		{f.json, func(w io.Writer) error { return report.WriteInvalidJSONShard(w, invalid, f.sh.invalidMeta()) }},
	} {
		switch w.path {
		case "":
		case stdoutPath:
			if err := w.write(stdout); err != nil {
				errs = append(errs, err)
			}
		default:
			if err := writeFileWith(w.path, w.write); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
