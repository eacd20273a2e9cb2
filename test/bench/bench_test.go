// Package bench holds the performance benchmarks of netrun, each measured
// against a plain Go baseline in the same run.
package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/sandbox"
	"github.com/netrunhq/netrun/steps/all"
	"github.com/netrunhq/netrun/steps/tcp"
	"github.com/netrunhq/netrun/steps/udp"
)

// roundTrips is the number of send/expect pairs in the benchmark scenario.
const roundTrips = 10000

// registry serves tcp, tls and udp.
func registry(tb testing.TB) *engine.Registry {
	tb.Helper()
	return steptest.New(tb, tcp.Plugin{}, udp.Plugin{}).Registry()
}

// echoServer echoes every connection on 127.0.0.1 until the test ends.
func echoServer(tb testing.TB) string {
	tb.Helper()
	return steptest.ServeEach(tb, func(c net.Conn) { _, _ = io.Copy(c, c) })
}

// roundTripScenario is a scenario of n line round trips to addr.
func roundTripScenario(addr string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name: round trips\ntimeout: 10m\nsteps:\n  - connect: tcp://%s\n", addr)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - send: { line: ping %d }\n  - expect: { line: true, equals: ping %d }\n", i, i)
	}
	b.WriteString("  - close: true\n")
	return b.String()
}

// plainRoundTrips does the same round trips with net and bufio only, with
// a deadline on each, as netrun has.
func plainRoundTrips(tb testing.TB, addr string, n int) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	for i := 0; i < n; i++ {
		want := fmt.Sprintf("ping %d", i)
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := c.Write([]byte(want + "\r\n")); err != nil {
			tb.Fatal(err)
		}
		line, err := r.ReadString('\n')
		if err != nil {
			tb.Fatal(err)
		}
		if strings.TrimRight(line, "\r\n") != want {
			tb.Fatalf("got %q, want %q", line, want)
		}
	}
}

// BenchmarkTCPRoundTrips runs 10,000 send/expect round trips through netrun
// and, in the same run and against the same echo server, through a plain Go
// loop. It reports both per round trip and their ratio (target ≤ 1.2), in
// two modes: "transcripts", every step's transcript kept (as with -v or a
// report), and "run", as `netrun run` without them, where a passing step's
// transcript is dropped unformatted.
func BenchmarkTCPRoundTrips(b *testing.B) {
	for _, mode := range []struct {
		name string
		opts engine.RunOptions
	}{
		{"transcripts", engine.RunOptions{}},
		{"run", engine.RunOptions{DropPassedTranscripts: true}},
	} {
		b.Run(mode.name, func(b *testing.B) { tcpRoundTrips(b, mode.opts) })
	}
}

// tcpRoundTrips is BenchmarkTCPRoundTrips with netrun run with opts.
func tcpRoundTrips(b *testing.B, opts engine.RunOptions) {
	addr := echoServer(b)
	sc, err := engine.LoadBytes("bench.yaml", []byte(roundTripScenario(addr, roundTrips)), registry(b), engine.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var plain, netrun time.Duration
	var ratios, cpuRatios []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Interleaved, each first in turn, so that neither always runs
		// on a warmer (or busier) machine.
		var p, n, pc, nc time.Duration
		runPlain := func() {
			t0, c0 := time.Now(), selfCPU(b)
			plainRoundTrips(b, addr, roundTrips)
			p, pc = time.Since(t0), selfCPU(b)-c0
		}
		runNetrun := func() {
			t0, c0 := time.Now(), selfCPU(b)
			res := engine.Run(context.Background(), sc, opts)
			n, nc = time.Since(t0), selfCPU(b)-c0
			if res.Status != engine.Passed {
				b.Fatalf("scenario %s: %+v", res.Status, res.Failure)
			}
		}
		if i%2 == 0 {
			runPlain()
			runNetrun()
		} else {
			runNetrun()
			runPlain()
		}
		plain += p
		netrun += n
		ratios = append(ratios, float64(n)/float64(p))
		cpuRatios = append(cpuRatios, float64(nc)/float64(max(pc, 1)))
	}
	per := float64(b.N * roundTrips)
	b.ReportMetric(float64(plain.Nanoseconds())/per, "plain-ns/rt")
	b.ReportMetric(float64(netrun.Nanoseconds())/per, "netrun-ns/rt")
	reportRatios(b, ratios)
	// The process's CPU time (the echo server's and the collector's
	// included, for both): steadier than the wall time on a busy machine.
	reportRatiosAs(b, "cpu-ratio", cpuRatios)
}

// reportRatios reports the min, median and max of ratios (netrun ÷ its
// baseline, one per interleaved pair).
func reportRatios(b *testing.B, ratios []float64) { reportRatiosAs(b, "ratio", ratios) }

// reportRatiosAs reports the min, median and max of ratios as name-min,
// name-median and name-max.
func reportRatiosAs(b *testing.B, name string, ratios []float64) {
	sort.Float64s(ratios)
	b.ReportMetric(ratios[0], name+"-min")
	b.ReportMetric(ratios[len(ratios)/2], name+"-median")
	b.ReportMetric(ratios[len(ratios)-1], name+"-max")
}

// validateSource is a realistic scenario for the load benchmark.
func validateSource(i int) string {
	return fmt.Sprintf(`name: scenario %d
vars:
  echo: '{{ env("NETRUN_TCP_ECHO") ?? "127.0.0.1:7" }}'
  token: 'netrun-{{ uuid() }}'
defaults:
  timeout: 5s
steps:
  - connect: tcp://{{ echo }}
    id: conn
    assert: result.remote != ""
  - send: { line: 'hello {{ token }}' }
  - expect: { line: true, equals: 'hello {{ token }}' }
    save: { got: result.data }
  - send: { hex: 'de ad be ef' }
  - expect: { bytes: 4 }
    assert: result.bytes == 4 && steps.conn.local != ""
  - expect: { match: 'id=(\d+)', until: ';' }
    retry: { until: len(result.groups) > 1, every: 1s, within: 10s }
finally:
  - close: true
`, i)
}

// BenchmarkValidate1000 loads and compiles 1,000 scenario files as
// `netrun validate` does: every plugin, the sandbox's names, files loaded
// in parallel. The target is under 1 s in all.
func BenchmarkValidate1000(b *testing.B) {
	dir := b.TempDir()
	var files []string
	for i := 0; i < 1000; i++ {
		p := filepath.Join(dir, fmt.Sprintf("s%04d.yaml", i))
		if err := os.WriteFile(p, []byte(validateSource(i)), 0o644); err != nil {
			b.Fatal(err)
		}
		files = append(files, p)
	}
	validateFiles(b, files)
}

// TestBenchmarkInputs keeps the benchmark inputs valid under go test.
func TestBenchmarkInputs(t *testing.T) {
	addr := echoServer(t)
	sc, err := engine.LoadBytes("bench.yaml", []byte(roundTripScenario(addr, 50)), registry(t), engine.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res := engine.Run(context.Background(), sc, engine.RunOptions{})
	if res.Status != engine.Passed || len(res.Steps) != 102 {
		t.Fatalf("status %s, %d steps", res.Status, len(res.Steps))
	}
	plainRoundTrips(t, addr, 50)
	if _, err := engine.LoadBytes("v.yaml", []byte(validateSource(1)), registry(t), engine.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
}

// shippedCopies writes n copies, in turn, of the shipped scenarios
// (scenarios/*.yaml) into a temporary folder and returns their paths.
func shippedCopies(tb testing.TB, n int) []string {
	tb.Helper()
	src, err := filepath.Glob("../../scenarios/*.yaml")
	if err != nil || len(src) == 0 {
		tb.Fatalf("no shipped scenarios: %v", err)
	}
	dir := tb.TempDir()
	var files []string
	for i := 0; i < n; i++ {
		data, err := os.ReadFile(src[i%len(src)])
		if err != nil {
			tb.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprintf("%04d_%s", i, filepath.Base(src[i%len(src)])))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			tb.Fatal(err)
		}
		files = append(files, p)
	}
	return files
}

// BenchmarkValidateShipped loads 1,000 copies of the shipped scenarios as
// `netrun validate` does (P3: the target is under 0.5 s).
func BenchmarkValidateShipped(b *testing.B) {
	files := shippedCopies(b, 1000)
	validateFiles(b, files)
}

// BenchmarkLoadRoundTrips loads the 10,000-round-trip scenario of
// BenchmarkTCPRoundTrips (20,002 steps): loading is most of what the
// whole process of P1 costs.
func BenchmarkLoadRoundTrips(b *testing.B) {
	src := []byte(roundTripScenario("127.0.0.1:7", roundTrips))
	reg := registry(b)
	for b.Loop() {
		if _, err := engine.LoadBytes("rt.yaml", src, reg, engine.LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// validateFiles loads files as netrun validate does (every plugin, the
// sandbox's names, engine.LoadEach) b.N times, and reports the seconds a
// load of all of them takes.
func validateFiles(b *testing.B, files []string) {
	reg, err := all.Registry()
	if err != nil {
		b.Fatal(err)
	}
	opts := engine.LoadOptions{Services: sandbox.Names()}
	b.ResetTimer()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		engine.LoadEach(files, reg, opts, func(_ int, _ *engine.Scenario, err error) {
			if err != nil {
				b.Fatal(err)
			}
		})
		total += time.Since(t0)
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/1000-files")
}
