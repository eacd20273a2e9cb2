package bench

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/all"
)

// BenchmarkFloodingProgram spawns `yes` for 2 s while the scenario sleeps
// and reports the CPU netrun itself spent meanwhile keeping its output,
// in cores (its own rusage: the program's CPU is a child's, not counted);
// the target is at most 0.1. Its baseline is the same scenario with the
// program's output sent to /dev/null by the shell, run in turn.
func BenchmarkFloodingProgram(b *testing.B) {
	reg, err := all.Registry()
	if err != nil {
		b.Fatal(err)
	}
	load := func(cmd string) *engine.Scenario {
		src := "name: flood\nsteps:\n  - spawn: \"sh -c '" + cmd + "'\"\n    as: flood\n  - sleep: 2s\n  - expect: { exit: any }\n    on: flood\n"
		sc, err := engine.LoadBytes("flood.yaml", []byte(src), reg, engine.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		return sc
	}
	flood, quiet := load("timeout 2 yes || true"), load("timeout 2 yes >/dev/null || true")
	cores := func(sc *engine.Scenario) float64 {
		u0, t0 := selfCPU(b), time.Now()
		if res := engine.Run(context.Background(), sc, engine.RunOptions{}); res.Status != engine.Passed {
			b.Fatalf("%s: %+v", res.Status, res.Failure)
		}
		return (selfCPU(b) - u0).Seconds() / time.Since(t0).Seconds()
	}
	var f, q float64
	for i := 0; i < b.N; i++ {
		f += cores(flood)
		q += cores(quiet)
	}
	b.ReportMetric(f/float64(b.N), "flood-cores")
	b.ReportMetric(q/float64(b.N), "quiet-cores")
}

func selfCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
