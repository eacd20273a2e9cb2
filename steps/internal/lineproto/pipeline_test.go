package lineproto_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
)

// pipeServer answers "CMD n" with "250 n". It holds every reply until it
// has heard hold commands (or the client stops sending), so that a client
// that waits for each reply before its next command never gets one; then
// it answers each command as it comes. silentAfter > 0 stops its replies
// after that many. It records the most commands it heard ahead of its
// replies, and every line.
type pipeServer struct {
	hold, silentAfter int
	mu                sync.Mutex
	maxAhead          int
	heard             []string
}

func (p *pipeServer) serve(t *testing.T) string {
	return steptest.ServeEach(t, func(c net.Conn) {
		r := bufio.NewReader(c)
		var due []string
		replied := 0
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimSuffix(line, "\r\n")
			p.mu.Lock()
			p.heard = append(p.heard, line)
			due = append(due, line)
			p.maxAhead = max(p.maxAhead, len(due))
			p.mu.Unlock()
			if len(p.heard) < p.hold {
				continue
			}
			for _, cmd := range due {
				if p.silentAfter > 0 && replied == p.silentAfter {
					continue
				}
				_, n, _ := strings.Cut(cmd, " ")
				fmt.Fprintf(c, "250 %s\r\n", n)
				replied++
			}
			due = due[:0]
		}
	})
}

// dial opens a dialogue of 3-digit replies with addr.
func dial(t *testing.T, addr string) *lineproto.Dialogue[lineproto.Reply] {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	return lineproto.NewDialogue(lineproto.New(nc, 0), lineproto.Replies[lineproto.Reply]{Read: (*lineproto.Conn).ReadReply}, "TEST", addr)
}

func requests(n int) []lineproto.Request {
	reqs := make([]lineproto.Request, n)
	for i := range reqs {
		reqs[i] = lineproto.Request{Line: fmt.Sprintf("CMD %d", i+1)}
	}
	return reqs
}

// TestPipelineWindow: a window of 4 sends 4 commands before it reads a
// reply, never has more than 4 unanswered, and reads every reply in order.
func TestPipelineWindow(t *testing.T) {
	srv := &pipeServer{hold: 4}
	d := dial(t, srv.serve(t))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got []string
	err := d.Pipeline(ctx, nil, requests(10), 4, func(i int, r lineproto.Reply, _ []byte) error {
		got = append(got, fmt.Sprintf("%d:%d %s", i, r.Code, r.Text))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "0:250 1,1:250 2,2:250 3,3:250 4,4:250 5,5:250 6,6:250 7,7:250 8,8:250 9,9:250 10"; strings.Join(got, ",") != want {
		t.Errorf("replies %s, want %s", strings.Join(got, ","), want)
	}
	srv.mu.Lock()
	if srv.maxAhead > 4 || len(srv.heard) != 10 {
		t.Errorf("server heard %d commands, at most %d unanswered; want 10, at most 4", len(srv.heard), srv.maxAhead)
	}
	srv.mu.Unlock()
	// The dialogue is in step: a command gets its own reply.
	if r, _, err := d.Command(ctx, nil, lineproto.Request{Line: "CMD 11"}); err != nil || r.Text != "11" {
		t.Errorf("command after the batch: %v, %v", r, err)
	}
}

// TestPipelineEachError: once each fails, no more commands are written,
// the replies due still reach each, the first error is returned, and the
// dialogue stays in step.
func TestPipelineEachError(t *testing.T) {
	srv := &pipeServer{hold: 4}
	d := dial(t, srv.serve(t))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	seen := 0
	bad := errors.New("bad reply")
	err := d.Pipeline(ctx, nil, requests(10), 4, func(i int, r lineproto.Reply, _ []byte) error {
		seen++
		if i >= 1 {
			return fmt.Errorf("%w %d", bad, i)
		}
		return nil
	})
	if !errors.Is(err, bad) || err.Error() != "bad reply 1" {
		t.Fatalf("err %v, want bad reply 1", err)
	}
	if seen != 4 {
		t.Errorf("each saw %d replies, want the 4 written", seen)
	}
	if r, _, err := d.Command(ctx, nil, lineproto.Request{Line: "CMD 99"}); err != nil || r.Text != "99" {
		t.Errorf("command after the batch: %v, %v", r, err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.heard) != 5 {
		t.Errorf("server heard %q, want 4 commands and CMD 99", srv.heard)
	}
}

// TestPipelineCutShort: a peer that stops answering with replies due
// fails the batch, and the dialogue is out of step after it.
func TestPipelineCutShort(t *testing.T) {
	srv := &pipeServer{hold: 1, silentAfter: 2}
	d := dial(t, srv.serve(t))
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := d.Pipeline(ctx, nil, requests(6), 6, func(int, lineproto.Reply, []byte) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "CMD: timed out") {
		t.Fatalf("err %v, want a timeout", err)
	}
	if err := d.Usable(); err == nil || !strings.Contains(err.Error(), "pipelined replies still unread after CMD failed") {
		t.Errorf("usable: %v", err)
	}
}

// TestPipelineWindowOne is Command in a loop: the server, which answers
// only once it has heard two commands, gets one at a time and the batch
// times out on the first reply, without breaking the dialogue.
func TestPipelineWindowOne(t *testing.T) {
	srv := &pipeServer{hold: 2}
	d := dial(t, srv.serve(t))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err := d.Pipeline(ctx, nil, requests(3), 1, func(int, lineproto.Reply, []byte) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("err %v, want a timeout", err)
	}
	if err := d.Usable(); err != nil {
		t.Errorf("one command at a time, yet: %v", err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.heard) > 1 {
		t.Errorf("server heard %q, want CMD 1 alone", srv.heard)
	}
}
