package tcp_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/tcp"
)

// act is one move of a scripted peer.
type act func(c net.Conn, r *bufio.Reader) error

// say sends s.
func say(s string) act {
	return func(c net.Conn, _ *bufio.Reader) error {
		_, err := io.WriteString(c, s)
		return err
	}
}

// hear reads len(s) bytes and wants them to be s.
func hear(s string) act {
	return func(_ net.Conn, r *bufio.Reader) error {
		got := make([]byte, len(s))
		if _, err := io.ReadFull(r, got); err != nil {
			return fmt.Errorf("want %q: %w", s, err)
		}
		if string(got) != s {
			return fmt.Errorf("heard %q, want %q", got, s)
		}
		return nil
	}
}

// hangUp closes the connection.
func hangUp() act {
	return func(c net.Conn, _ *bufio.Reader) error { return c.Close() }
}

// listenToEnd reads until the client closes, so that the peer stays silent
// for as long as the scenario wants.
func listenToEnd() act {
	return func(_ net.Conn, r *bufio.Reader) error {
		_, _ = io.Copy(io.Discard, r)
		return nil
	}
}

// flood sends x without end, until the client goes away.
func flood() act {
	return func(c net.Conn, _ *bufio.Reader) error {
		chunk := bytes.Repeat([]byte("x"), 32<<10)
		for {
			if _, err := c.Write(chunk); err != nil {
				return nil
			}
		}
	}
}

// do runs f, for side effects such as cancelling the scenario.
func do(f func()) act {
	return func(net.Conn, *bufio.Reader) error { f(); return nil }
}

// serve starts a scripted peer for one client on 127.0.0.1:0 and returns
// its address. With cfg, it speaks TLS; a failed handshake ends the peer
// quietly (the client's step reports it). The test fails if an act fails.
func serve(t *testing.T, cfg *tls.Config, acts ...act) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			errc <- nil // the client never came; its steps say why
			return
		}
		defer c.Close()
		if cfg != nil {
			tc := tls.Server(c, cfg)
			if tc.Handshake() != nil {
				errc <- nil
				return
			}
			c = tc
		}
		r := bufio.NewReader(c)
		for i, a := range acts {
			if err := a(c, r); err != nil {
				errc <- fmt.Errorf("act %d: %w", i+1, err)
				return
			}
		}
		errc <- nil
	}()
	t.Cleanup(func() {
		ln.Close()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("peer: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("peer did not finish")
		}
	})
	return ln.Addr().String()
}

// closedPort returns a loopback address where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// registry serves tcp and tls.
func registry(t *testing.T) *engine.Registry {
	t.Helper()
	reg, err := engine.NewRegistry(tcp.Plugin{})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// load loads a scenario written in dir after replacing each old with new.
func load(t *testing.T, dir, src string, oldnew ...string) (*engine.Scenario, error) {
	t.Helper()
	src = strings.NewReplacer(oldnew...).Replace(src)
	return engine.LoadBytes(filepath.Join(dir, "test.yaml"), []byte(src), registry(t), engine.LoadOptions{})
}

// run loads and runs a scenario in dir.
func run(t *testing.T, ctx context.Context, dir, src string, oldnew ...string) *engine.ScenarioResult {
	t.Helper()
	sc, err := load(t, dir, src, oldnew...)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return engine.Run(ctx, sc, engine.RunOptions{})
}

// check compares the statuses of the steps with want and logs every
// failure.
func check(t *testing.T, res *engine.ScenarioResult, want ...engine.Status) {
	t.Helper()
	var got []engine.Status
	for _, st := range res.Steps {
		got = append(got, st.Status)
		if st.Failure != nil && st.Status != engine.Skipped {
			t.Logf("step %d %q: %s: %s (received %s)", st.Index, st.Name, st.Status, st.Failure.Message, st.Failure.Received)
			for _, o := range st.Failure.Operands {
				t.Logf("    %s = %s", o.Expr, o.Value)
			}
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
}

// failure returns the failure of step i (1-based) and wants its message to
// contain each of msgs.
func failure(t *testing.T, res *engine.ScenarioResult, i int, msgs ...string) *engine.Failure {
	t.Helper()
	f := res.Steps[i-1].Failure
	if f == nil {
		t.Fatalf("step %d did not fail", i)
	}
	for _, m := range msgs {
		if !strings.Contains(f.Message, m) {
			t.Errorf("step %d failure %q does not contain %q", i, f.Message, m)
		}
	}
	return f
}

// writeFile writes data to dir/name.
func writeFile(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// loadErrors loads src and returns its errors one per line.
func loadErrors(t *testing.T, src string) []string {
	t.Helper()
	_, err := load(t, t.TempDir(), src)
	var list engine.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("load error %v, want an ErrorList", err)
	}
	var out []string
	for _, e := range list {
		out = append(out, e.Error())
	}
	return out
}
