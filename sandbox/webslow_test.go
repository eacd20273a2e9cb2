package sandbox

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"
)

// slowStats asks GET /slow/{group}.
func slowStats(t *testing.T, c *http.Client, base, group string) (int, map[string]any) {
	t.Helper()
	return call(t, c, "GET", base+"/slow/"+group, "", "")
}

// waitStats polls the group until ok holds of its counts. The deadline
// only keeps a broken server from hanging the test.
func waitStats(t *testing.T, c *http.Client, base, group string, ok func(v map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		st, v := slowStats(t, c, base, group)
		if st == 200 && ok(v) {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("group %s: %d %v", group, st, v)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSlowGroupPeak checks that /slow counts how many requests of a group
// waited at once: three at the same time make a peak of 3, three one
// after the other a peak of 1. Neither depends on timing: the concurrent
// requests wait 10s, and are ended once all three are seen waiting.
func TestSlowGroupPeak(t *testing.T) {
	s := newSandbox(t, Options{})
	c := webClient(t, s)
	for _, service := range []string{"http", "https"} {
		scheme := service
		base := scheme + "://localhost:" + port(address(t, s, service))
		group := "at-once-" + service
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequestWithContext(ctx, "GET", base+"/slow?delay=10s&group="+group, nil)
				if resp, err := c.Do(req); err == nil {
					resp.Body.Close()
				}
			}()
		}
		waitStats(t, c, base, group, func(v map[string]any) bool { return v["in_flight"] == 3.0 })
		cancel()
		wg.Wait()
		v := waitStats(t, c, base, group, func(v map[string]any) bool { return v["in_flight"] == 0.0 })
		if v["peak"] != 3.0 || v["requests"] != 3.0 || v["done"] != 0.0 || v["group"] != group {
			t.Errorf("%s: three at once, then abandoned: %v", service, v)
		}

		group = "one-by-one-" + service
		for range 3 {
			if st, v := call(t, c, "GET", base+"/slow?delay=1ms&group="+group, "", ""); st != 200 || v["waited"] != "1ms" {
				t.Fatalf("%s: %d %v", service, st, v)
			}
		}
		if st, v := slowStats(t, c, base, group); st != 200 || v["peak"] != 1.0 || v["requests"] != 3.0 || v["done"] != 3.0 || v["in_flight"] != 0.0 {
			t.Errorf("%s: one after the other: %d %v", service, st, v)
		}
		if st, v := call(t, c, "GET", base+"/slow?delay=1ms&status=404", "", ""); st != 404 || v["waited"] != "1ms" {
			t.Errorf("%s: status=404: %d %v", service, st, v)
		}
		if st, _ := call(t, c, "GET", base+"/slow?delay=1ms&status=99", "", ""); st != 400 {
			t.Errorf("%s: status=99: %d", service, st)
		}
		if st, _ := slowStats(t, c, base, "never-seen"); st != 404 {
			t.Errorf("%s: unknown group: %d", service, st)
		}
		if st, _ := call(t, c, "GET", base+"/slow?delay=1ms&group=a/b", "", ""); st != 400 {
			t.Errorf("%s: bad group name: %d", service, st)
		}
	}
}

// TestSlowSleepersCapped checks that one request over the cap of waiting
// requests is answered 503 at once, and that the sandbox remembers a
// bounded number of groups.
func TestSlowSleepersCapped(t *testing.T) {
	s := newSandbox(t, Options{})
	s.slow.sleepers = make(chan struct{}, 1)
	c := webClient(t, s)
	base := "http://" + address(t, s, "http")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		req, _ := http.NewRequestWithContext(ctx, "GET", base+"/slow?delay=10s&group=holder", nil)
		if resp, err := c.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	waitStats(t, c, base, "holder", func(v map[string]any) bool { return v["in_flight"] == 1.0 })
	if st, _ := call(t, c, "GET", base+"/slow?delay=1ms", "", ""); st != 503 {
		t.Errorf("a request over the cap: %d, want 503", st)
	}
	cancel()
	<-done

	room := newSlowRoom()
	for i := range slowGroupsKept + 5 {
		room.enter(string(rune('a'+i%26)) + time.Duration(i).String())
	}
	if len(room.groups) != slowGroupsKept || len(room.order) != slowGroupsKept {
		t.Errorf("%d groups kept, want %d", len(room.groups), slowGroupsKept)
	}
}
