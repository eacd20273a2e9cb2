package bench

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// untilSize is the frame of BenchmarkUntil100MiB.
const untilSize = 100 << 20

// BenchmarkUntil100MiB (P7) reads one 100 MiB frame ended by ";" with
// `expect: { until: ";" }` and, interleaved, with a Go loop that reads
// until ";" into a buffer (target ≤ 1.3), the peer writing the frame in
// pieces of 64 KiB and of 1 KiB. Besides the wall-time ratio it reports
// what each side allocated and its peak memory (the process's peak
// resident set over the run, from Linux's VmHWM, reset before each run
// after returning free memory to the system), in frames (target ≤ 1.5).
func BenchmarkUntil100MiB(b *testing.B) {
	for _, piece := range []int{64 << 10, 1 << 10} {
		b.Run("write="+strconv.Itoa(piece>>10)+"KiB", func(b *testing.B) { benchUntil(b, piece) })
	}
}

func benchUntil(b *testing.B, piece int) {
	chunk := bytes.Repeat([]byte("x"), piece)
	addr := steptest.ServeEach(b, func(c net.Conn) {
		for sent := 0; sent < untilSize; sent += len(chunk) {
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
		_, _ = c.Write([]byte(";"))
		_, _ = c.Read(make([]byte, 1)) // until the client closes
	})
	src := "name: until\nsteps:\n  - connect: tcp://" + addr + "\n    max_buffer: 128MiB\n" +
		"  - expect: { until: ';' }\n    assert: len(result.data) == " + itoa(untilSize) + "\n  - close: true\n"
	sc, err := engine.LoadBytes("u.yaml", []byte(src), registry(b), engine.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var ratios []float64
	var nr, plain usage
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		runNetrun := func() time.Duration {
			return nr.measure(func() {
				if res := engine.Run(context.Background(), sc, engine.RunOptions{}); res.Status != engine.Passed {
					b.Fatalf("scenario %s: %+v", res.Status, res.Failure)
				}
			})
		}
		runPlain := func() time.Duration { return plain.measure(func() { plainUntil(b, addr) }) }
		var p, n time.Duration
		if i%2 == 0 {
			p, n = runPlain(), runNetrun()
		} else {
			n, p = runNetrun(), runPlain()
		}
		ratios = append(ratios, float64(n)/float64(p))
	}
	reportRatios(b, ratios)
	nr.report(b, "netrun")
	plain.report(b, "plain")
}

// usage sums what runs allocated and keeps their largest peak resident
// set above the resident set they started from.
type usage struct {
	alloc uint64
	peak  int64
	runs  int
}

// measure runs f and returns its wall time.
func (u *usage) measure(f func()) time.Duration {
	debug.FreeOSMemory()
	resetPeak()
	base := statusKiB("VmRSS:")
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	t0 := time.Now()
	f()
	d := time.Since(t0)
	runtime.ReadMemStats(&m1)
	u.alloc += m1.TotalAlloc - m0.TotalAlloc
	u.peak = max(u.peak, statusKiB("VmHWM:")-base)
	u.runs++
	return d
}

// report gives the allocation per run and the largest peak, in frames.
func (u *usage) report(b *testing.B, name string) {
	b.ReportMetric(float64(u.alloc)/float64(u.runs)/untilSize, name+"-alloc/frame")
	if u.peak > 0 {
		b.ReportMetric(float64(u.peak<<10)/untilSize, name+"-peak/frame")
	}
}

// resetPeak sets the process's peak resident set (VmHWM) to its current
// one (Linux); elsewhere the peak is not reported.
func resetPeak() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// statusKiB reads a field of /proc/self/status in KiB; 0 without it.
func statusKiB(field string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// plainUntil is the baseline: a 4 KiB bufio.Reader, ReadSlice until ';',
// appended into one buffer.
func plainUntil(b *testing.B, addr string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Minute))
	r := bufio.NewReader(c)
	var frame []byte
	for {
		part, err := r.ReadSlice(';')
		frame = append(frame, part...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
		break
	}
	if len(frame) != untilSize+1 {
		b.Fatalf("read %d bytes", len(frame))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
