package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// fakePlugin serves fake:// for engine tests: connect opens an in-memory
// conn, send stores text, expect returns what was sent, upper-cased.
type fakePlugin struct{ opened *fakeOpened }

// fakeOpened records every connection the plugin opened.
type fakeOpened struct {
	mu    sync.Mutex
	conns []*fakeConn
}

type fakeConn struct {
	buf    []string
	closed bool
}

func (c *fakeConn) Close(context.Context) error {
	c.closed = true
	return nil
}

type fakeResult struct {
	Data  string `expr:"data" json:"data"`
	Count int    `expr:"count" json:"count"`
}

type fakeConnect struct {
	URL  Template
	Fail bool
}

type fakeOptions struct {
	Fail  bool     `yaml:"fail"`
	Delay Template `yaml:"delay" netrun:"duration"`
}

func (fakePlugin) Schemes() []string { return []string{"fake"} }

func (p fakePlugin) Verbs() VerbTable {
	return VerbTable{Takes: []Verb{
		{Name: "connect", Decode: func(d *Decoder) (TypedAction, error) {
			a := fakeConnectAction{opened: p.opened}
			if err := d.Load(d.Value, &a.url); err != nil {
				return nil, err
			}
			if err := d.Load(d.Options, &a.opts); err != nil {
				return nil, err
			}
			return a, nil
		}},
		{Name: "send", Decode: func(d *Decoder) (TypedAction, error) {
			var a fakeSend
			if err := d.Load(d.Value, &a.t); err != nil {
				return nil, err // untyped, as the fake always was
			}
			return a, nil
		}},
		{Name: "expect", Decode: func(d *Decoder) (TypedAction, error) {
			var want struct {
				Equals Template `yaml:"equals"`
			}
			if err := d.Load(d.Value, &want); err != nil {
				return nil, err
			}
			return fakeExpect{want: want.Equals}, nil
		}},
	}}
}

type fakeConnectAction struct {
	Returns[fakeResult]
	url    Template
	opts   fakeOptions
	opened *fakeOpened
}

func (a fakeConnectAction) Do(ctx context.Context, s *Session) (any, error) {
	u, err := a.url.String(s)
	if err != nil {
		return nil, err
	}
	if a.opts.Fail {
		return nil, errors.New("connection refused")
	}
	if a.opts.Delay.IsSet() {
		d, _ := a.opts.Delay.Duration(s)
		if !sleepCtx(ctx, d) {
			return nil, fmt.Errorf("dial: %w", ctx.Err())
		}
	}
	c := &fakeConn{}
	if a.opened != nil {
		a.opened.mu.Lock()
		a.opened.conns = append(a.opened.conns, c)
		a.opened.mu.Unlock()
	}
	s.Open(ctx, c)
	return fakeResult{Data: u}, nil
}

type fakeSend struct {
	Returns[fakeResult]
	t Template
}

func (a fakeSend) Do(ctx context.Context, s *Session) (any, error) {
	c, err := TargetAs[*fakeConn](s)
	if err != nil {
		return nil, err
	}
	v, err := a.t.String(s)
	if err != nil {
		return nil, err
	}
	c.buf = append(c.buf, v)
	s.Sent([]byte(v))
	return fakeResult{Data: v, Count: len(c.buf)}, nil
}

type fakeExpect struct {
	Returns[fakeResult]
	want Template
}

func (a fakeExpect) Do(ctx context.Context, s *Session) (any, error) {
	c, err := TargetAs[*fakeConn](s)
	if err != nil {
		return nil, err
	}
	if len(c.buf) == 0 {
		return nil, &Mismatch{Msg: "nothing received"}
	}
	got := strings.ToUpper(c.buf[0])
	c.buf = c.buf[1:]
	s.Received([]byte(got))
	if a.want.IsSet() {
		w, err := a.want.String(s)
		if err != nil {
			return nil, err
		}
		if w != got {
			return fakeResult{Data: got}, &Mismatch{Msg: fmt.Sprintf("expected %q", w), Received: []byte(got)}
		}
	}
	return fakeResult{Data: got, Count: len(c.buf)}, nil
}

func testRegistry(t *testing.T) *Registry {
	t.Helper()
	r, err := NewRegistry(fakePlugin{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func loadString(t *testing.T, src string) (*Scenario, error) {
	t.Helper()
	return LoadBytes("test.yaml", []byte(src), testRegistry(t), LoadOptions{})
}

func mustLoad(t *testing.T, src string) *Scenario {
	t.Helper()
	sc, err := loadString(t, src)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return sc
}
