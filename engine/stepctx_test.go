package engine

import (
	"context"
	"errors"
	"testing"
	"time"
)

type ctxKey struct{}

// TestStepCtx checks that the lazy step context behaves as
// context.WithTimeoutCause would, whether or not Done was asked for.
func TestStepCtx(t *testing.T) {
	for _, tc := range []struct {
		name     string
		timeout  time.Duration
		done     bool // ask for Done before the deadline
		cancel   bool // cancel the parent
		wantErr  error
		wantCaus string
	}{
		{name: "live", timeout: time.Minute},
		{name: "live with done", timeout: time.Minute, done: true},
		{name: "expired", timeout: time.Nanosecond, wantErr: context.DeadlineExceeded, wantCaus: "step timeout 1ns exceeded"},
		{name: "expired with done", timeout: time.Nanosecond, done: true, wantErr: context.DeadlineExceeded, wantCaus: "step timeout 1ns exceeded"},
		{name: "parent cancelled", timeout: time.Minute, cancel: true, wantErr: context.Canceled, wantCaus: "interrupted"},
		{name: "parent cancelled with done", timeout: time.Minute, done: true, cancel: true, wantErr: context.Canceled, wantCaus: "interrupted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent, cancel := context.WithCancelCause(context.WithValue(context.Background(), ctxKey{}, "v"))
			t.Cleanup(func() { cancel(nil) })
			c := newStepCtx(parent, tc.timeout)
			t.Cleanup(c.release)
			if d, ok := c.Deadline(); !ok || time.Until(d) > tc.timeout {
				t.Errorf("deadline %v %v", d, ok)
			}
			var done <-chan struct{}
			if tc.done {
				done = c.Done()
			}
			if tc.cancel {
				cancel(errors.New("interrupted"))
			}
			time.Sleep(time.Millisecond)
			if err := c.Err(); !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Errorf("err %v, want %v", err, tc.wantErr)
			}
			if cause := context.Cause(c); (cause == nil && tc.wantCaus != "") || (cause != nil && cause.Error() != tc.wantCaus) {
				t.Errorf("cause %v, want %q", cause, tc.wantCaus)
			}
			if c.Value(ctxKey{}) != "v" {
				t.Error("the parent's value is lost")
			}
			if done == nil {
				done = c.Done()
			}
			select {
			case <-done:
				if tc.wantErr == nil {
					t.Error("done is closed on a live context")
				}
			default:
				if tc.wantErr != nil {
					t.Error("done is open on an ended context")
				}
			}
		})
	}
}

// TestStepCtxParentDeadline checks that the earlier parent deadline wins.
func TestStepCtxParentDeadline(t *testing.T) {
	parent, cancel := context.WithTimeout(context.Background(), time.Second)
	t.Cleanup(cancel)
	c := newStepCtx(parent, time.Hour)
	t.Cleanup(c.release)
	pd, _ := parent.Deadline()
	if d, _ := c.Deadline(); !d.Equal(pd) {
		t.Errorf("deadline %v, want the parent's %v", d, pd)
	}
}
