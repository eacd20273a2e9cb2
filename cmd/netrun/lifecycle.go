package main

import (
	"context"
	"fmt"
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
