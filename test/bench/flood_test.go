package bench

import (
	"context"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/all"
	"github.com/netrunhq/netrun/steps/program"
)

// BenchmarkFloodingProgram spawns `yes` for 2 s while the scenario sleeps
// and reports the CPU netrun itself spent meanwhile keeping its output,
// in cores (its own rusage: the program's CPU is a child's, not counted);
// the target is at most 0.1. Its baseline is the same scenario with the
// program's output sent to /dev/null by the shell, run in turn. It also
// reports how fast the program's output got through (program-MB/s, from
// the size netrun counted): what netrun's pace, while nothing reads the
// output, costs the program. "log lines" floods with the line Python's
// http.server logs for each request instead of "y", which gives the
// exception scan more to look at, and "error lines" with a line that
// names an exception, which the scan's pattern must look at.
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
	for _, bc := range []struct{ name, cmd string }{
		{"yes", "yes"},
		{"log lines", "yes 127.0.0.1 - - [07/Dec/2026 18:00:00] GET /index.html?user=alice HTTP/1.1 200 -"},
		{"error lines", "yes ConnectionResetError: [Errno 104] Connection reset by peer"},
	} {
		flood, quiet := load("timeout 2 "+bc.cmd+" || true"), load("timeout 2 "+bc.cmd+" >/dev/null || true")
		b.Run(bc.name, func(b *testing.B) { floodRuns(b, flood, quiet) })
	}
}

// floodRuns runs flood and quiet in turn b.N times and reports netrun's
// cores in each and the program's MB/s in flood.
func floodRuns(b *testing.B, flood, quiet *engine.Scenario) {
	cores := func(sc *engine.Scenario) (float64, int64) {
		u0, t0 := selfCPU(b), time.Now()
		res := engine.Run(context.Background(), sc, engine.RunOptions{})
		if res.Status != engine.Passed {
			b.Fatalf("%s: %+v", res.Status, res.Failure)
		}
		return (selfCPU(b) - u0).Seconds() / time.Since(t0).Seconds(), written(b, res.Steps[2].Result)
	}
	var f, q float64
	var size int64
	for i := 0; i < b.N; i++ {
		c, n := cores(flood)
		f += c
		size += n
		c, _ = cores(quiet)
		q += c
	}
	b.ReportMetric(f/float64(b.N), "flood-cores")
	b.ReportMetric(q/float64(b.N), "quiet-cores")
	b.ReportMetric(float64(size)/2e6/float64(b.N), "program-MB/s")
}

// notKept is the line that stands for the middle of a long output.
var notKept = regexp.MustCompile(`\n\[… (\d+) bytes not kept …\]\n`)

// written returns how many bytes the program wrote on stdout, from the
// result of expect: exit.
func written(b *testing.B, r any) int64 {
	res, ok := r.(program.ExpectResult)
	if !ok {
		b.Fatalf("result %T", r)
	}
	m := notKept.FindStringSubmatchIndex(res.Stdout)
	if m == nil {
		return int64(len(res.Stdout))
	}
	gap, err := strconv.ParseInt(res.Stdout[m[2]:m[3]], 10, 64)
	if err != nil {
		b.Fatal(err)
	}
	return int64(len(res.Stdout)-(m[1]-m[0])) + gap
}

func selfCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
