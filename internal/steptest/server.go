package steptest

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// Peer is the server side of one scripted connection.
type Peer struct {
	// Conn is the connection: TCP, or TLS once Upgrade ran.
	Conn net.Conn
	// R reads from Conn.
	R *bufio.Reader
}

// Act is one move of a scripted server.
type Act func(p *Peer) error

// Say sends s.
func Say(s string) Act {
	return func(p *Peer) error {
		_, err := io.WriteString(p.Conn, s)
		return err
	}
}

// Hear reads len(s) bytes and wants them to be s.
func Hear(s string) Act {
	return func(p *Peer) error {
		got := make([]byte, len(s))
		if _, err := io.ReadFull(p.R, got); err != nil {
			return fmt.Errorf("want %q: %w", s, err)
		}
		if string(got) != s {
			return fmt.Errorf("heard %q, want %q", got, s)
		}
		return nil
	}
}

// HearLine reads one line and wants it to be line and CRLF.
func HearLine(line string) Act {
	return func(p *Peer) error {
		got, err := p.R.ReadString('\n')
		if err != nil {
			return fmt.Errorf("want %q: %w", line, err)
		}
		if got != line+"\r\n" {
			return fmt.Errorf("heard %q, want %q", got, line+"\r\n")
		}
		return nil
	}
}

// Dialogue is HearLine(cmd) then Say(reply).
func Dialogue(cmd, reply string) Act { return Seq(HearLine(cmd), Say(reply)) }

// Seq runs acts in order, as one act.
func Seq(acts ...Act) Act {
	return func(p *Peer) error {
		for _, a := range acts {
			if err := a(p); err != nil {
				return err
			}
		}
		return nil
	}
}

// Upgrade runs the server side of a TLS handshake; what follows is TLS.
func Upgrade(cfg *tls.Config) Act {
	return func(p *Peer) error {
		tc := tls.Server(p.Conn, cfg)
		if err := tc.Handshake(); err != nil {
			return err
		}
		p.Conn, p.R = tc, bufio.NewReader(tc)
		return nil
	}
}

// HangUp closes the connection.
func HangUp() Act {
	return func(p *Peer) error { return p.Conn.Close() }
}

// ListenToEnd reads until the client closes, so that the server stays
// silent for as long as the scenario wants.
func ListenToEnd() Act {
	return func(p *Peer) error {
		_, _ = io.Copy(io.Discard, p.R)
		return nil
	}
}

// Flood sends x without end, until the client goes away.
func Flood() Act {
	return func(p *Peer) error {
		chunk := bytes.Repeat([]byte("x"), 32<<10)
		for {
			if _, err := p.Conn.Write(chunk); err != nil {
				return nil
			}
		}
	}
}

// Do runs f, for side effects such as cancelling the scenario.
func Do(f func()) Act {
	return func(*Peer) error { f(); return nil }
}

// Serve starts a scripted server for one client on 127.0.0.1:0 and
// returns its address. With cfg it speaks TLS from the start; a failed
// handshake ends it quietly (the client's step reports it). When the test
// ends, it fails if an act failed or the script did not finish within 10
// seconds.
func Serve(t testing.TB, cfg *tls.Config, acts ...Act) string {
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
		defer func() { _ = c.Close() }()
		p := &Peer{Conn: c, R: bufio.NewReader(c)}
		if cfg != nil {
			if err := Upgrade(cfg)(p); err != nil {
				errc <- nil
				return
			}
		}
		for i, a := range acts {
			if err := a(p); err != nil {
				errc <- fmt.Errorf("act %d: %w", i+1, err)
				return
			}
		}
		errc <- nil
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("server: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("server did not finish")
		}
	})
	return ln.Addr().String()
}

// ClosedPort returns a loopback address where nothing listens.
func ClosedPort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// ServeEach serves every client that connects to 127.0.0.1:0 with handle,
// each in a goroutine of its own, and returns the address. A connection
// is closed when its handle returns. When the test ends, the listener and
// every connection still open are closed, and ServeEach waits for the
// handles to return.
func ServeEach(t testing.TB, handle func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu     sync.Mutex
		open   = map[net.Conn]bool{}
		closed bool
		wg     sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			if closed {
				mu.Unlock()
				_ = c.Close()
				return
			}
			open[c] = true
			wg.Add(1)
			mu.Unlock()
			go func() {
				defer wg.Done()
				defer func() {
					mu.Lock()
					delete(open, c)
					mu.Unlock()
					_ = c.Close()
				}()
				handle(c)
			}()
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		closed = true
		for c := range open {
			_ = c.Close()
		}
		mu.Unlock()
		_ = ln.Close()
		wg.Wait()
	})
	return ln.Addr().String()
}

// ServeOnce connects to ln, a listener of the test's, whose server side
// sends data, closes for writing (the client reads the end of the stream
// and can still write) and reads what the client sends until it closes.
// It returns the client's side. Fuzz targets reuse one listener across
// inputs this way.
func ServeOnce(t testing.TB, ln net.Listener, data []byte) net.Conn {
	t.Helper()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			accepted <- nil
			return
		}
		accepted <- c
		_, _ = c.Write(data)
		_ = c.(*net.TCPConn).CloseWrite()
		_, _ = io.Copy(io.Discard, c)
		_ = c.Close()
	}()
	ours, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	if <-accepted == nil {
		t.Fatal("accept failed")
	}
	return ours
}
