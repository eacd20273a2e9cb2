package program

import "sync"

// tracker knows the programs that are running, so that netrun can kill
// them all when it must end at once (a second Ctrl-C, a crash).
type tracker struct {
	mu   sync.Mutex
	live map[*process]struct{}
}

func newTracker() *tracker { return &tracker{live: map[*process]struct{}{}} }

// add records p; a nil tracker records nothing.
func (t *tracker) add(p *process) {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.live[p] = struct{}{}
	t.mu.Unlock()
}

// remove forgets p.
func (t *tracker) remove(p *process) {
	if t == nil {
		return
	}
	t.mu.Lock()
	delete(t.live, p)
	t.mu.Unlock()
}

// killAll sends KILL to the group of every program still running, and
// returns how many there were.
func (t *tracker) killAll() int {
	if t == nil {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for p := range t.live {
		p.kill()
	}
	return len(t.live)
}
