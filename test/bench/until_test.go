package bench

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// untilSize is the frame of BenchmarkUntil100MiB.
const untilSize = 100 << 20

// BenchmarkUntil100MiB (P7) reads one 100 MiB frame ended by ";" with
// `expect: { until: ";" }` and, interleaved, with a Go loop that reads
// until ";" into a buffer (target ≤ 1.3).
func BenchmarkUntil100MiB(b *testing.B) {
	chunk := bytes.Repeat([]byte("x"), 64<<10)
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
	var alloc uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var p, n time.Duration
		runPlain := func() {
			t0 := time.Now()
			plainUntil(b, addr)
			p = time.Since(t0)
		}
		runNetrun := func() {
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			t0 := time.Now()
			res := engine.Run(context.Background(), sc, engine.RunOptions{})
			n = time.Since(t0)
			runtime.ReadMemStats(&m1)
			alloc += m1.TotalAlloc - m0.TotalAlloc
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
		ratios = append(ratios, float64(n)/float64(p))
	}
	reportRatios(b, ratios)
	// What netrun allocated for the frame, in frames: the buffer's
	// growth and result.data.
	b.ReportMetric(float64(alloc)/float64(b.N)/untilSize, "netrun-alloc/frame")
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
