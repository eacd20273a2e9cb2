package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
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
	// sh is --shard and --shard-by (shard.go).
	sh shardFlags
}

// parseRun parses flags that may stand before, between or after the files.
func parseRun(args []string, stderr io.Writer) (*runFlags, []string, error) {
	f := &runFlags{vars: map[string]string{}, users: map[string]string{}, junitFlavor: report.JUnitXunit2}
	fs := flag.NewFlagSet("netrun", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.IntVar(&f.jobs, "j", 1, "")
	fs.BoolVar(&f.verbose, "v", false, "")
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

// collect expands directories into their *.yaml and *.yml files, sorted.
func collect(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil || !st.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if ext := filepath.Ext(p); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", a, err)
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no *.yaml or *.yml files", a)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// loadAll loads every file with the plugins of reg; all errors of all
// files are printed, and returned per file for the reports.
func loadAll(args []string, vars map[string]string, reg *engine.Registry, stderr io.Writer) ([]*engine.Scenario, []report.Invalid, bool) {
	files, err := collect(args)
	if err != nil {
		fmt.Fprintln(stderr, "netrun:", err)
		return nil, []report.Invalid{report.NewInvalid("netrun", err)}, false
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
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fmt.Fprint(stdout, usage)
			return exitOK
		}
	}
	if len(args) == 0 {
		fmt.Fprintln(stderr, "netrun validate: no files given")
		return exitInvalid
	}
	reg, err := registry()
	if err != nil {
		fmt.Fprintln(stderr, "netrun:", err)
		return exitInvalid
	}
	scs, _, ok := loadAll(args, nil, reg, stderr)
	if !ok {
		return exitInvalid
	}
	fmt.Fprintf(stdout, "%d scenario files are valid\n", len(scs))
	return exitOK
}

func runCmd(args []string, stdout, stderr io.Writer) int {
	f, files, err := parseRun(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "netrun: %v\nRun 'netrun --help' for usage.\n", err)
		return exitInvalid
	}
	reg, err := registry()
	if err != nil {
		fmt.Fprintln(stderr, "netrun:", err)
		return exitInvalid
	}
	scs, invalid, ok := loadAll(files, f.vars, reg, stderr)
	if len(invalid) > 0 {
		// The reports say why nothing ran, instead of being left empty
		// or as the last run left them.
		if err := writeInvalidReports(invalid, f, stdout); err != nil {
			fmt.Fprintln(stderr, "netrun:", err)
		}
	}
	if !ok {
		return exitInvalid
	}
	// Only once the files have loaded: a report path that cannot be
	// written is a command-line error, found before anything is sent.
	if err := prepareReports(runReports(f)); err != nil {
		fmt.Fprintf(stderr, "netrun: %v\n", err)
		return exitInvalid
	}
	scs = withTags(scs, f.tags)
	if len(scs) == 0 {
		fmt.Fprintf(stderr, "netrun: no scenario is tagged %s\n", strings.Join(f.tags, " or "))
		return exitInvalid
	}
	if scs, err = f.sh.scenarios(scs, stderr); err != nil {
		fmt.Fprintln(stderr, "netrun:", err)
		return exitInvalid
	}
	console := stdout
	if anyToStdout(runReports(f)) {
		console = stderr
	}
	red := engine.NewRedactor()
	for _, pw := range f.users {
		red.Add(pw)
	}
	prog := &progress{scs: scs}
	killAll := programKiller(reg)
	// Whatever happens, no program under test outlives netrun.
	defer killAll()
	// reporting is held while reports are written, so that a second
	// Ctrl-C never exits while the normal path is half-way through a file.
	var reporting sync.Mutex
	ctx, stop := interrupts(func() {
		// A second Ctrl-C: end now, but with the reports.
		n := killAll()
		fmt.Fprintf(stderr, "netrun: interrupted again: ending now (%d programs killed); writing the reports\n", n)
		reporting.Lock() // held until the exit
		_ = writeReports(prog.snapshot("netrun was interrupted and ended before this scenario did"), f, red, stdout)
		os.Exit(exitFailed)
	})
	defer stop()
	sb := sandbox.New(sandbox.Options{Users: f.users})
	defer sb.Close()
	results := execute(ctx, prog, f, sb, red, console)

	status := exitOK
	for _, r := range results {
		if r.Status != engine.Passed {
			status = exitFailed
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

// execute runs the scenarios of prog, jobs at a time, printing to console
// as they go and recording each result in prog.
func execute(ctx context.Context, prog *progress, f *runFlags, sb engine.Sandbox, red *engine.Redactor, console io.Writer) []*engine.ScenarioResult {
	scs := prog.scs
	results := make([]*engine.ScenarioResult, len(scs))
	opts := engine.RunOptions{Sandbox: sb, Ports: engine.NewPorts(), Redactor: red}
	color := useColor(console)
	var mu sync.Mutex
	sem := make(chan struct{}, f.jobs)
	var wg sync.WaitGroup
	for i, sc := range scs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			var buf bytes.Buffer
			out := io.Writer(&buf)
			if f.jobs == 1 {
				out = console
			}
			c := &report.Console{W: out, Color: color, Verbose: f.verbose, Redactor: red}
			o := opts
			o.OnStep = c.Step
			r := runGuarded(ctx, sc, o)
			c.Scenario(r)
			prog.set(i, r)
			mu.Lock()
			results[i] = r
			if f.jobs > 1 {
				_, _ = console.Write(buf.Bytes())
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	(&report.Console{W: console, Color: color, Redactor: red}).Summary(results)
	return results
}

// writeReports writes every report the flags ask for; one that fails does
// not keep the others from being written.
func writeReports(results []*engine.ScenarioResult, f *runFlags, red *engine.Redactor, stdout io.Writer) error {
	return writeReportFiles(runReports(f), results, red, stdout)
}

// useColor reports whether w is a terminal and NO_COLOR is unset.
func useColor(w io.Writer) bool {
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
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
		{f.json, func(w io.Writer) error { return report.WriteInvalidJSON(w, invalid) }},
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
