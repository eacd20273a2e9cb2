package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/engine/report"
)

// execute runs the scenarios of prog, jobs at a time, printing to console
// as they go and recording each result in prog. With one job, the lines
// of each step come as it ends; with more, each scenario's lines come
// whole, in the order of the files. On a terminal a status line stays
// under them. Once ctx is cancelled no scenario starts: those left are
// not run (notRun counts them), and the console says nothing of each.
func execute(ctx context.Context, prog *progress, f *runFlags, sb engine.Sandbox, red *engine.Redactor, console io.Writer) (results []*engine.ScenarioResult, notRun int) {
	scs := prog.scs
	results = make([]*engine.ScenarioResult, len(scs))
	opts := engine.RunOptions{Sandbox: sb, Ports: engine.NewPorts(), Redactor: red,
		DropPassedTranscripts: !transcriptsShown(f)}
	t := terminal(console, f.color, os.Getenv)
	github := os.Getenv("GITHUB_ACTIONS") == "true"
	out, live, stopLive := liveLine(console, t, len(scs), "scenarios")
	ordered := newInOrder(out, maxHeldOutput)
	var mu sync.Mutex
	sem := make(chan struct{}, f.jobs)
	var wg sync.WaitGroup
	for i, sc := range scs {
		sem <- struct{}{}
		if ctx.Err() != nil {
			<-sem
			r := engine.NotRun(sc, "netrun was interrupted before this scenario started")
			r.Interrupted = true
			prog.set(i, r)
			results[i] = r
			notRun++
			ordered.put(i, nil)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if live != nil {
				live.Start(i, sc.Name)
				defer live.Done(i)
			}
			var buf bytes.Buffer
			w := io.Writer(&buf)
			if f.jobs == 1 {
				w = out
			}
			c := &report.Console{W: w, Color: t.color, Verbose: f.verbose, Redactor: red}
			o := opts
			o.OnStep = c.Step
			r := runGuarded(ctx, sc, o)
			c.Scenario(r)
			if github {
				report.GitHubAnnotations(w, r, red)
			}
			prog.set(i, r)
			mu.Lock()
			results[i] = r
			mu.Unlock()
			if f.jobs > 1 {
				ordered.put(i, buf.Bytes())
			}
		}()
	}
	wg.Wait()
	stopLive()
	(&report.Console{W: console, Color: t.color, Redactor: red}).Summary(results)
	return results, notRun
}

// transcriptsShown reports whether anything shows the transcripts of the
// steps that pass: -v or a report.
func transcriptsShown(f *runFlags) bool {
	if f.verbose {
		return true
	}
	for _, r := range runReports(f) {
		if r.path != "" {
			return true
		}
	}
	return false
}

// liveLine returns where the console's text goes: through a status line
// of total items called noun when t is a live terminal (live is then
// that line), else console itself. stop erases the line and stops its
// clock.
func liveLine(console io.Writer, t termOpts, total int, noun string) (out io.Writer, live *report.Live, stop func()) {
	if !t.live {
		return console, nil, func() {}
	}
	live = &report.Live{W: console, Total: total, Noun: noun, Width: t.width}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				live.Redraw()
			case <-done:
				return
			}
		}
	}()
	return live, live, func() {
		close(done)
		wg.Wait()
		live.Stop()
	}
}

// appendStepSummary appends the run's Markdown summary to path, GitHub's
// $GITHUB_STEP_SUMMARY ("": nothing to do).
func appendStepSummary(path string, results []*engine.ScenarioResult, red *engine.Redactor) error {
	if path == "" {
		return nil
	}
	fh, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	err = report.GitHubSummary(fh, results, red)
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	return err
}

// plural formats a count of things: "1 scenario", "14 scenarios".
func plural(n int, thing string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", thing)
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
