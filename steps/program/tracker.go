package program

import (
	"os"
	"strconv"
	"sync"
)

// tracker knows the programs that are running, so that netrun can kill
// them all when it must end at once (a second Ctrl-C, a crash), and tells
// the guard about them (see Guard), so that nothing they started outlives
// netrun, however it ends.
type tracker struct {
	mu    sync.Mutex
	live  map[*process]struct{}
	guard guard
}

func newTracker() *tracker { return &tracker{live: map[*process]struct{}{}} }

// useGuard makes the tracker start path, netrun's executable, as the guard
// of its programs before the first one starts.
func (t *tracker) useGuard(path string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.guard.path = path
	t.mu.Unlock()
}

// starting is called before a program starts in dir (its temporary folder,
// or ""): the guard starts if it has not, and learns of dir.
func (t *tracker) starting(dir string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.guard.start()
	if dir != "" {
		t.guard.send("d+ %s", strconv.Quote(dir))
	}
}

// add records p; a nil tracker records nothing.
func (t *tracker) add(p *process) {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.live[p] = struct{}{}
	t.guard.send("g+ %d", p.pid)
	t.mu.Unlock()
}

// remove forgets p, before its group's ID is freed.
func (t *tracker) remove(p *process) {
	if t == nil {
		return
	}
	t.mu.Lock()
	delete(t.live, p)
	t.guard.send("g- %d", p.pid)
	t.mu.Unlock()
}

// removed forgets dir, removed.
func (t *tracker) removed(dir string) {
	if t == nil || dir == "" {
		return
	}
	t.mu.Lock()
	t.guard.send("d- %s", strconv.Quote(dir))
	t.mu.Unlock()
}

// killAll sends KILL to the group of every program still running, removes
// their temporary folders, and returns how many there were.
func (t *tracker) killAll() int {
	if t == nil {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for p := range t.live {
		p.kill()
	}
	for p := range t.live {
		if p.tmpDir != "" {
			_ = os.RemoveAll(p.tmpDir)
		}
	}
	return len(t.live)
}
