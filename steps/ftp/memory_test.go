package ftp_test

import (
	"bytes"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// peakHeap runs f and returns the most heap in use, above what was in use
// before, that samples taken meanwhile saw (HeapInuse, every millisecond).
// Not a timing assertion: the sampling rate only sets how close to the
// true peak the figure is.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		var s runtime.MemStats
		for {
			runtime.ReadMemStats(&s)
			mu.Lock()
			if s.HeapInuse > base && s.HeapInuse-base > peak {
				peak = s.HeapInuse - base
			}
			mu.Unlock()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	return peak
}

// flood sends line without end, until the client closes the connection.
func flood(line string) dataFunc {
	return func(c net.Conn) error {
		chunk := []byte(strings.Repeat(line, (64<<10)/len(line)+1))
		for {
			if _, err := c.Write(chunk); err != nil {
				return nil
			}
		}
	}
}

// sendN sends n bytes of a pattern, in chunks, and closes the connection.
func sendN(n int) dataFunc {
	return func(c net.Conn) error {
		chunk := bytes.Repeat([]byte("0123456789abcdef"), 4<<10)
		for n > 0 {
			k := min(n, len(chunk))
			if _, err := c.Write(chunk[:k]); err != nil {
				return err
			}
			n -= k
		}
		return nil
	}
}

// memoryBase is the fixed part of the bound: the engine, the library, the
// scripted server, the buffers of one transfer.
const memoryBase = 6 << 20

// TestMemoryOfHostileListingsAndDownloads runs endless listings (lines of
// ls, short MLSD lines, lines that are no entry, long lines) and endless
// and exact-cap downloads into memory against the default cap of 16 MiB,
// and checks that the heap never grows by more than 1.5 times the cap
// plus a fixed base.
func TestMemoryOfHostileListingsAndDownloads(t *testing.T) {
	if testing.Short() {
		t.Skip("moves hundreds of MiB")
	}
	const limit = 16 << 20
	for _, tc := range []struct {
		name, features, cmd, step, fails string
		data                             dataFunc
	}{
		{"LIST ls lines", feat, "LIST", "fetch: { list: '' }", "larger than max_size",
			flood("-rw-r--r--    1 0        0             687 Jan 02 03:04 README\r\n")},
		{"MLSD short lines", mlstFeat, "MLSD", "fetch: { list: '' }", "larger than max_size",
			flood("type=file; a\r\n")},
		{"LIST lines that are no entry", feat, "LIST", "fetch: { list: '' }", "larger than max_size",
			flood("x\r\n")},
		{"LIST long lines", feat, "LIST", "fetch: { list: '' }", "larger than max_size",
			flood("-rw-r--r--    1 0        0             687 Jan 02 03:04 " + strings.Repeat("n", 8000) + "\r\n")},
		{"RETR without end", feat, "RETR f", "fetch: f", "larger than max_size",
			flood(strings.Repeat("x", 1000))},
		{"RETR of exactly the cap", feat, "RETR f", "fetch: f\n    assert: result.size == 16777216 && len(result.text) == 16777216", "",
			sendN(limit)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := steptest.Serve(t, nil, loginAs("anonymous", "anonymous@", tc.features),
				transfer(tc.cmd, tc.data, "226 Done\r\n"), quit())
			var res *engine.ScenarioResult
			peak := peakHeap(func() {
				res = harness(t).Run("", "name: m\nsteps:\n  - connect: ftp://"+addr+"\n  - "+tc.step+"\n  - close: true\n")
			})
			t.Logf("%s: peak heap %.1f MiB above the start, %.2f times the cap", tc.name, float64(peak)/(1<<20), float64(peak)/limit)
			if tc.fails == "" {
				steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed)
			} else {
				steptest.Failure(t, res, 2, tc.fails)
			}
			if max := uint64(limit*3/2 + memoryBase); peak > max {
				t.Errorf("%s took %.1f MiB at its peak, more than 1.5 times the cap (16 MiB) and %d MiB", tc.name, float64(peak)/(1<<20), memoryBase>>20)
			}
		})
	}
}

// mlstFeat is a FEAT reply with MLST, so that the library lists with MLSD.
const mlstFeat = "211-Features:\r\n EPSV\r\n MLST type*;size*;modify*;\r\n211 End\r\n"
