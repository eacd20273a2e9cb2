package sandbox

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"
)

const (
	// maxSlow is the longest wait of /slow.
	maxSlow = 10 * time.Second
	// maxSleepers is how many /slow requests may wait at once, over http
	// and https together; one more is answered 503 at once.
	maxSleepers = 256
	// slowGroupsKept is how many groups /slow remembers; older ones are
	// forgotten.
	slowGroupsKept = 1000
)

// groupPattern is a group name of /slow: a token such as a UUID.
var groupPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// slowRoom serves /slow, the delayed answer, and counts, per group, how
// many of its requests waited at the same time: a scenario asks GET
// /slow/{group} whether a program fetched its URLs at once, with no
// timing measured on either side.
type slowRoom struct {
	sleepers chan struct{} // one token per request waiting

	mu     sync.Mutex
	groups map[string]*slowGroup
	order  []string // group names, oldest first
}

// slowGroup is what GET /slow/{group} answers.
type slowGroup struct {
	Group string `json:"group"`
	// Requests is how many requests of the group came; Done how many got
	// their answer.
	Requests int `json:"requests"`
	Done     int `json:"done"`
	// InFlight is how many wait now; Peak the most that ever waited at
	// the same time.
	InFlight int `json:"in_flight"`
	Peak     int `json:"peak"`
}

func newSlowRoom() *slowRoom {
	return &slowRoom{sleepers: make(chan struct{}, maxSleepers), groups: map[string]*slowGroup{}}
}

// serve answers {"waited": D} after the delay of ?delay= (a Go duration,
// default 1s, at most 10s), with the status of ?status= (default 200), or
// stops when the client goes away or the sandbox closes. With ?group=NAME
// the request counts in that group.
func (room *slowRoom) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := time.Second
	if v := q.Get("delay"); v != "" {
		var err error
		if d, err = time.ParseDuration(v); err != nil || d < 0 || d > maxSlow {
			http.Error(w, fmt.Sprintf("delay must be a duration from 0s to %s, such as 500ms", maxSlow), http.StatusBadRequest)
			return
		}
	}
	code := http.StatusOK
	if v := q.Get("status"); v != "" {
		var err error
		if code, err = strconv.Atoi(v); err != nil || code < 200 || code > 599 {
			http.Error(w, "status must be a number from 200 to 599", http.StatusBadRequest)
			return
		}
	}
	group := q.Get("group")
	if group != "" && !groupPattern.MatchString(group) {
		http.Error(w, "group must be 1 to 64 letters, digits, dots, dashes or underscores", http.StatusBadRequest)
		return
	}
	select {
	case room.sleepers <- struct{}{}:
		defer func() { <-room.sleepers }()
	default:
		http.Error(w, fmt.Sprintf("%d slow requests wait already: try again later", maxSleepers), http.StatusServiceUnavailable)
		return
	}
	room.enter(group)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		// Counted before the answer is written, so that a client that has
		// its answer finds it counted.
		room.leave(group, true)
		writeJSON(w, code, map[string]any{"waited": d.String()})
	case <-r.Context().Done():
		room.leave(group, false)
	}
}

// enter counts a request of group that starts waiting.
func (room *slowRoom) enter(group string) { room.count(group, true, false) }

// leave counts a request of group that stops waiting, answered or not.
func (room *slowRoom) leave(group string, answered bool) { room.count(group, false, answered) }

// count counts a request of group (none when "") that starts waiting, with
// start, making the group if new, or one that stops waiting, answered or
// not; a group forgotten while its request waited is not made again.
func (room *slowRoom) count(group string, start, answered bool) {
	if group == "" {
		return
	}
	room.mu.Lock()
	defer room.mu.Unlock()
	g := room.groups[group]
	switch {
	case g == nil && !start:
		return
	case g == nil:
		g = &slowGroup{Group: group}
		room.groups[group] = g
		room.order = append(room.order, group)
		if len(room.order) > slowGroupsKept {
			delete(room.groups, room.order[0])
			room.order = room.order[1:]
		}
	}
	if start {
		g.Requests++
		g.InFlight++
		g.Peak = max(g.Peak, g.InFlight)
		return
	}
	g.InFlight--
	if answered {
		g.Done++
	}
}

// lookup handles GET /slow/{group}: the counts of the group, or HTTP 404
// when no request of it came (or it was forgotten).
func (room *slowRoom) lookup(w http.ResponseWriter, r *http.Request) {
	room.mu.Lock()
	g, ok := room.groups[r.PathValue("group")]
	var v slowGroup
	if ok {
		v = *g
	}
	room.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "no request of this group"})
		return
	}
	writeJSON(w, http.StatusOK, v)
}
