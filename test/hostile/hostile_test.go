// Package hostile runs every client plugin against servers that misbehave
// on purpose (the hostile matrix): a scripted server per behaviour
// (silence, an endless line, an endless multi-line reply, a huge literal
// or body, garbage, an early close, a close in the middle of a reply, a
// slow trickle, invalid UTF-8, NUL bytes, a flood between steps, a huge
// greeting) for each protocol where it applies. Each cell checks what
// netrun promises:
//
//   - every step ends within its timeout plus one second (its own reported
//     duration), and closing what is open at the end takes at most one
//     second more than the steps took;
//   - the step fails (a check that failed, engine.Failed: the peer said
//     something wrong or nothing in time, format.md "Failures and
//     errors"), with a reason in netrun's words: no library internals;
//   - no panic;
//   - the heap stays under a bound while the cell runs (sampled every
//     millisecond): the protocol's cap times 1.5 plus a fixed base for the
//     cells that send a body over the cap, the base for the others.
//
// Cells that can cost memory run one at a time, so that their peak is
// theirs alone; the others run in parallel.
package hostile

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/all"
)

// stepTimeout is the timeout of each step of a cell.
const stepTimeout = time.Second

// slack is what the product promises beyond a step's timeout.
const slack = time.Second

// base is the heap a cell may add beside its cap: buffers of 64 KiB lines,
// the transcript, the library's own buffers, the scripted server.
const base = 16 << 20

// looseBound is the heap growth allowed to a cell that runs beside others.
const looseBound = 96 << 20

// internals are pieces of library or runtime messages that a reason must
// not show.
var internals = []string{
	"imapwire", "imapclient", "in response", "resp-text", "response-data",
	"read tcp", "write tcp", "read udp", "i/o timeout", "unexpected EOF",
	"use of closed network connection", "failed to read", "failed to get reader",
	"goroutine ", "panic", "internal error", "net/http:", "textproto",
	"timed out waiting for the reply to :",
}

// exclusive lets a heavy cell run alone: light cells hold it shared.
var exclusive sync.RWMutex

// cell is one behaviour against one protocol.
type cell struct {
	proto *proto
	bhv   *behaviour
}

func TestHostileMatrix(t *testing.T) {
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	env := newEnv(t)
	n := 0
	for _, p := range protos(env) {
		for _, b := range behaviours() {
			if !b.appliesTo(p) {
				continue
			}
			n++
			c := cell{proto: p, bhv: b}
			t.Run(p.name+"/"+b.name, func(t *testing.T) {
				t.Parallel()
				c.run(t, reg)
			})
		}
	}
	t.Logf("%d cells", n)
}

// run runs the cell's scenario against its server and checks the result.
func (c cell) run(t *testing.T, reg *engine.Registry) {
	if c.bhv.heavy {
		exclusive.Lock()
		defer exclusive.Unlock()
		runtime.GC()
	} else {
		exclusive.RLock()
		defer exclusive.RUnlock()
	}
	addr := c.proto.serve(t, c.bhv)
	src := c.proto.scenario(c.bhv)
	sc, err := engine.LoadBytes(env0.dir+"/test.yaml", []byte(strings.NewReplacer("ADDR", addr, "CA", env0.ca).Replace(src)), reg, engine.LoadOptions{})
	if err != nil {
		t.Fatalf("load: %v\n%s", err, src)
	}
	before := heap()
	var peak atomic.Uint64
	stop := sample(&peak)
	res := engine.Run(context.Background(), sc, engine.RunOptions{})
	stop()
	c.check(t, res, src)
	grew := int64(peak.Load()) - int64(before)
	bound := int64(looseBound)
	if c.bhv.heavy {
		bound = base + c.bhv.capBytes*3/2
	}
	t.Logf("%s/%s: heap grew %.1f MiB (bound %.1f MiB), scenario took %s", c.proto.name, c.bhv.name, mib(grew), mib(bound), res.Duration.Round(time.Millisecond))
	if grew > bound {
		t.Errorf("the heap grew by %.1f MiB, over the bound of %.1f MiB", mib(grew), mib(bound))
	}
}

// check asserts the time, the status and the reason of every step.
func (c cell) check(t *testing.T, res *engine.ScenarioResult, src string) {
	t.Helper()
	var spent time.Duration
	var last *engine.StepResult
	for i := range res.Steps {
		st := &res.Steps[i]
		if st.Status == engine.Skipped {
			continue
		}
		limit := stepTimeout
		if strings.HasPrefix(st.Name, "sleep") {
			limit = sleepFor
		}
		spent += st.Duration
		if st.Duration > limit+slack {
			t.Errorf("step %d %q took %s, over its timeout %s + %s", st.Index, st.Name, st.Duration.Round(time.Millisecond), limit, slack)
		}
		last = st
	}
	if res.Duration > spent+slack {
		t.Errorf("the scenario took %s, its steps %s: closing took more than %s", res.Duration.Round(time.Millisecond), spent.Round(time.Millisecond), slack)
	}
	if last == nil {
		t.Fatalf("no step ran:\n%s", src)
	}
	if last.Status == engine.Passed {
		if !c.bhv.mayPass {
			t.Errorf("every step passed; want the last to fail\n%s", steps(res))
		}
		return
	}
	f := last.Failure
	if f == nil {
		t.Fatalf("step %d is %s without a failure", last.Index, last.Status)
	}
	if last.Status != engine.Failed {
		t.Errorf("step %d is %s, want failed (the peer misbehaved): %s", last.Index, last.Status, f.Message)
	}
	for _, bad := range internals {
		if strings.Contains(f.Message, bad) {
			t.Errorf("the reason shows %q, a library's words: %s", bad, f.Message)
		}
	}
	if len(f.Message) < 20 {
		t.Errorf("the reason %q says too little", f.Message)
	}
	t.Logf("step %d %s: %s", last.Index, last.Status, f.Message)
}

// steps renders the steps' statuses for a message.
func steps(res *engine.ScenarioResult) string {
	var b strings.Builder
	for _, st := range res.Steps {
		msg := ""
		if st.Failure != nil {
			msg = st.Failure.Message
		}
		fmt.Fprintf(&b, "  step %d %q %s %s %s\n", st.Index, st.Name, st.Status, st.Duration.Round(time.Millisecond), msg)
	}
	return b.String()
}

// heapMetric is the bytes of live and unswept heap objects: what
// runtime.MemStats calls HeapAlloc, without stopping the world.
const heapMetric = "/memory/classes/heap/objects:bytes"

// heap returns the heap in use now.
func heap() uint64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// sample records the largest heap seen, every millisecond, until stop.
func sample(peak *atomic.Uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			if h := heap(); h > peak.Load() {
				peak.Store(h)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		if h := heap(); h > peak.Load() {
			peak.Store(h)
		}
	}
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

// env is what every cell shares: a folder with the CA of the TLS servers.
type env struct {
	dir string
	ca  string
	t   *testing.T
}

// env0 is set by newEnv; cells only read it.
var env0 *env

func newEnv(t *testing.T) *env {
	dir := t.TempDir()
	e := &env{dir: dir, ca: dir + "/ca.pem", t: t}
	tlsConfig = steptest.ServerTLS(t, dir)
	env0 = e
	return e
}
