package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"syscall"

	"github.com/netrunhq/netrun/engine"
)

// interrupts returns a context that the first Ctrl-C (or SIGTERM) cancels,
// which stops the running steps and lets finally steps and reports
// happen. A second one calls emergency, which must end netrun at once. stop
// releases the signals.
func interrupts(emergency func()) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
		case <-done:
			return
		}
		cancel()
		select {
		case <-sigs:
		case <-done:
			return
		}
		emergency()
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}

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
// program under test in reg, say so, write the reports with write, which
// holds what it must so that no result changes meanwhile, and exit.
func emergency(reg *engine.Registry, stderr io.Writer, write func()) func() {
	return func() {
		n := reg.KillAll()
		fmt.Fprintf(stderr, "netrun: interrupted again: ending now (%d programs killed); writing the reports\n", n)
		write()
		os.Exit(exitInterrupted)
	}
}

// useGuard gives the plugins in reg that start programs (engine.Guarded)
// netrun's own executable to start as the guard of their programs: a copy
// of netrun that kills their process groups and removes their folders
// when this netrun ends in any way, SIGKILL included (program.Guard).
func useGuard(reg *engine.Registry) {
	if exe, err := os.Executable(); err == nil {
		reg.UseGuard(exe)
	}
}

// progress holds the results of the scenarios as they finish, so that the
// reports can be written at any moment.
type progress struct {
	mu      sync.Mutex
	scs     []*engine.Scenario
	results []*engine.ScenarioResult
}

// set records the result of scenario i.
func (p *progress) set(i int, r *engine.ScenarioResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.results == nil {
		p.results = make([]*engine.ScenarioResult, len(p.scs))
	}
	p.results[i] = r
}

// snapshot returns the results so far, a scenario that has not finished
// standing as not run, with why.
func (p *progress) snapshot(why string) []*engine.ScenarioResult {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]*engine.ScenarioResult, len(p.scs))
	for i, sc := range p.scs {
		if i < len(p.results) && p.results[i] != nil {
			out[i] = p.results[i]
		} else {
			out[i] = engine.NotRun(sc, why)
			out[i].Interrupted = true
		}
	}
	return out
}

// runGuarded runs a scenario; a panic outside the plugins (which the engine
// already guards) becomes an errored result instead of ending netrun
// without reports.
func runGuarded(ctx context.Context, sc *engine.Scenario, opts engine.RunOptions) (res *engine.ScenarioResult) {
	defer func() {
		if p := recover(); p != nil {
			res = engine.NotRun(sc, fmt.Sprintf("internal error: %v\n%s", p, debug.Stack()))
		}
	}()
	return engine.Run(ctx, sc, opts)
}
