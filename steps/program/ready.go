package program

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// Readiness polling: the first wait, and the longest.
const (
	pollFirst = 10 * time.Millisecond
	pollMax   = 100 * time.Millisecond
)

// probe checks once whether the program is ready. It returns what it saw
// when it is not, for the message when the step's deadline passes.
type probe func(ctx context.Context) (ok bool, saw string, err error)

// wait polls until the program is ready, ends, or ctx ends.
// start is when the step began, for the time waited.
func (r *readyConfig) wait(ctx context.Context, s *engine.Session, p *process, res *SpawnResult, start time.Time) error {
	check, want, err := r.probe(s, p, res)
	if err != nil {
		return err
	}
	defer p.hold()()
	delay := pollFirst
	saw := ""
	for {
		var wake <-chan struct{}
		if r.Stdout.IsSet() {
			wake = p.stdout.changedChan()
		}
		ok, seen, err := check(ctx)
		if err != nil {
			return err
		}
		if ok {
			s.Note("ready after %s: %s", time.Since(p.started).Round(time.Millisecond), want)
			return nil
		}
		if seen != "" {
			saw = seen
		}
		if p.hasExited() {
			return r.ended(ctx, s, p, check, want)
		}
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-p.exited:
		case <-wake:
		case <-ctx.Done():
			t.Stop()
			msg := fmt.Sprintf("%s is not ready: still waiting for %s", p.describe(), want)
			if saw != "" {
				msg += "; " + saw
			}
			msg += p.notReadyHint(r)
			return &ctxError{msg: msg, err: ctx.Err()}
		}
		t.Stop()
		delay = min(2*delay, pollMax)
	}
}

// ended is the outcome of a wait when the program has ended: ready when
// it printed the line stdout waits for before it ended, else an error
// that says how it ended.
func (r *readyConfig) ended(ctx context.Context, s *engine.Session, p *process, check probe, want string) error {
	p.settle()
	if ok, _, _ := check(ctx); ok && r.Stdout.IsSet() {
		s.Note("ready: %s, and it has ended", want)
		return nil
	}
	return errors.New(p.endText(fmt.Sprintf(", before it was ready (waiting for %s)", want)))
}

// probe evaluates the ready condition into the check that polls it, and
// says in words what it waits for. A stdout check records the line's
// groups in res.
func (r *readyConfig) probe(s *engine.Session, p *process, res *SpawnResult) (check probe, want string, err error) {
	switch {
	case r.TCP.IsSet():
		addr, err := r.TCP.String(s)
		if err != nil {
			return nil, "", fmt.Errorf("ready tcp: %w", err)
		}
		check = p.notElsewhere(func(ctx context.Context) (bool, string, error) { return tcpReady(ctx, addr, p.pid) },
			addr, "TCP", "tcp", "tcp6")
		return check, "a TCP listener on " + addr, nil
	case r.UDP.IsSet():
		addr, err := r.UDP.String(s)
		if err != nil {
			return nil, "", fmt.Errorf("ready udp: %w", err)
		}
		if check, err = r.udpProbe(s, addr, p.pid); err != nil {
			return nil, "", err
		}
		want = "a UDP socket on " + addr
		if r.Send != nil {
			want = "an answer from UDP " + addr
		}
		return p.notElsewhere(check, addr, "UDP", "udp", "udp6"), want, nil
	case r.Stdout.IsSet():
		re, err := r.Stdout.Regexp(s)
		if err != nil {
			return nil, "", fmt.Errorf("ready stdout: %w", err)
		}
		check = func(context.Context) (bool, string, error) { return stdoutReady(p, re, res) }
		return check, "a line of stdout that matches /" + re.String() + "/", nil
	case r.After.IsSet():
		d, err := r.After.Duration(s)
		if err != nil {
			return nil, "", fmt.Errorf("ready after: %w", err)
		}
		until := time.Now().Add(d)
		check = func(context.Context) (bool, string, error) {
			return !time.Now().Before(until), "", nil
		}
		return check, "the end of a " + d.String() + " wait", nil
	}
	return nil, "", errors.New("ready: nothing to wait for")
}

// wrongPortGrace is how long a program may have sockets (TCP listeners,
// UDP sockets) elsewhere than the address `ready: { tcp }` or `ready: {
// udp }` waits for, and none there, before the step fails: a program that
// binds an extra port first, or rebinds, is not failed for it.
const wrongPortGrace = time.Second

// notElsewhere wraps check, the probe of `ready` on addr: it fails at once
// (after wrongPortGrace) when the program has sockets of the kind named
// (TCP listeners, unconnected UDP sockets, read from the /proc/net tables
// given), only elsewhere, as a program with a port written in it does
// (Linux only).
func (p *process) notElsewhere(check probe, addr, kind string, tables ...string) probe {
	var wrongSince time.Time
	return func(ctx context.Context) (bool, string, error) {
		ok, saw, err := check(ctx)
		if ok || err != nil {
			return ok, saw, err
		}
		l := p.sockets(tables...)
		switch {
		case l == "":
			wrongSince = time.Time{}
		case wrongSince.IsZero():
			wrongSince = time.Now()
		case time.Since(wrongSince) >= wrongPortGrace:
			why := "does it use a port of its own instead of the one it is given?"
			if _, port, _ := net.SplitHostPort(addr); strings.HasSuffix(l, ":"+port) && !strings.Contains(l, ":"+port+",") {
				why = "it binds another address than the one it is given"
			}
			verb, prep := "listens on", "on"
			if kind == "UDP" {
				verb, prep = "is bound to", "to"
			}
			return false, "", fmt.Errorf("%s %s %s, not %s %s (for %s): %s",
				p.describe(), verb, l, prep, addr, time.Since(wrongSince).Round(100*time.Millisecond), why)
		}
		return false, saw, nil
	}
}

// notReadyHint adds what may help when a program never got ready.
func (p *process) notReadyHint(r *readyConfig) string {
	if r.Stdout.IsSet() && p.stdout.Size() == 0 {
		return " (it printed nothing: output to a pipe is buffered, so run Python with -u or flush after print)"
	}
	if l := p.listening(); l != "" {
		return "; it listens on " + l
	}
	return ""
}

// stdoutReady looks for a line of stdout that matches re; the last line
// counts once the stream has ended.
func stdoutReady(p *process, re *regexp.Regexp, res *SpawnResult) (bool, string, error) {
	out := p.stdout.String()
	ended := p.stdout.ended()
	lines := strings.Split(out, "\n")
	if !ended {
		lines = lines[:len(lines)-1]
	}
	for _, l := range lines {
		l = strings.TrimSuffix(l, "\r")
		if m := re.FindStringSubmatch(l); m != nil {
			res.Groups, res.Named = m, wire.NamedGroups(re, m)
			return true, "", nil
		}
	}
	if len(lines) > 0 && lines[len(lines)-1] != "" {
		return false, "the last line was " + engine.Quote([]byte(lines[len(lines)-1]), 200), nil
	}
	return false, "", nil
}

// tcpReady reports whether the program (the process group pgid) listens
// on addr, without connecting where the system tells (Linux:
// /proc/net/tcp), so that a server that serves one client is not used up
// by the check; elsewhere it connects and closes at once.
func tcpReady(ctx context.Context, addr string, pgid int) (bool, string, error) {
	host, port, err := splitAddr(addr)
	if err != nil {
		return false, "", fmt.Errorf("ready tcp: %w", err)
	}
	if ok, err := bound("tcp", host, port, pgid); err == nil {
		return ok, "", nil
	}
	var d net.Dialer
	dctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	c, err := d.DialContext(dctx, "tcp", addr)
	if err != nil {
		return false, "last: " + err.Error(), nil
	}
	c.Close()
	return true, "", nil
}

// udpProbe returns the check for `ready: { udp }`: without send, whether a
// socket of the program is bound to the address (Linux only); with send, whether the probe
// is answered (as expect wants).
func (r *readyConfig) udpProbe(s *engine.Session, addr string, pgid int) (probe, error) {
	host, port, err := splitAddr(addr)
	if err != nil {
		return nil, fmt.Errorf("ready udp: %w", err)
	}
	if r.Send == nil {
		return func(context.Context) (bool, string, error) {
			ok, err := bound("udp", host, port, pgid)
			if err != nil {
				return false, "", fmt.Errorf("ready udp without send needs /proc/net/udp (Linux): give send, the probe to answer (%w)", err)
			}
			return ok, "", nil
		}, nil
	}
	payload, err := r.Send.Bytes(s, "\r\n")
	if err != nil {
		return nil, fmt.Errorf("ready send: %w", err)
	}
	var m *wire.Matcher
	if r.Expect != nil {
		if m, err = r.Expect.Resolve(s); err != nil {
			return nil, fmt.Errorf("ready: %w", err)
		}
	}
	wait := 50 * time.Millisecond
	return func(ctx context.Context) (bool, string, error) {
		c, err := net.Dial("udp", addr)
		if err != nil {
			return false, "", fmt.Errorf("ready udp: %w", err)
		}
		defer c.Close()
		dl := time.Now().Add(wait)
		if d, ok := ctx.Deadline(); ok && d.Before(dl) {
			dl = d
		}
		wait = min(2*wait, 500*time.Millisecond)
		_ = c.SetDeadline(dl)
		if _, err := c.Write(payload); err != nil {
			return false, "last: " + err.Error(), nil
		}
		buf := make([]byte, 64<<10)
		n, err := c.Read(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) || wire.IsTimeout(err) {
				return false, "no answer to the probe", nil
			}
			return false, "last: " + err.Error(), nil
		}
		if m == nil {
			return true, "", nil
		}
		if _, err := m.Datagram(buf[:n], addr); err != nil {
			return false, "the last answer did not match: " + err.Error(), nil
		}
		return true, "", nil
	}, nil
}

// splitAddr parses host:port.
func splitAddr(addr string) (string, int, error) {
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("%q is not host:port", addr)
	}
	var port int
	if _, err := fmt.Sscanf(p, "%d", &port); err != nil || port <= 0 || port > 65535 {
		return "", 0, fmt.Errorf("%q has no valid port", addr)
	}
	return h, port, nil
}

// ctxError is a message that says why a wait ended, wrapping the
// context's error without repeating it: the engine adds the cause, such as
// "(step timeout 10s exceeded)".
type ctxError struct {
	msg string
	err error
}

func (e *ctxError) Error() string { return e.msg }
func (e *ctxError) Unwrap() error { return e.err }
