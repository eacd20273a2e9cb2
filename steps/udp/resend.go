package udp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"

	"github.com/netrunhq/netrun/engine"
)

// resendEvery evaluates the resend option: 0 when it is not set.
func (a *openAction) resendEvery(s *engine.Session) (time.Duration, error) {
	if !a.opts.Resend.IsSet() {
		return 0, nil
	}
	d, err := a.opts.Resend.Duration(s)
	if err != nil {
		return 0, fmt.Errorf("resend: %w", err)
	}
	if d <= 0 {
		return 0, fmt.Errorf("resend: %s is not a positive duration", d)
	}
	return d, nil
}

// receive reads one datagram within ctx. On a connected socket with
// resend, it sends the last datagram again each time resend passes with
// nothing received, or once resend has passed after the port refused it,
// until ctx ends; the error is then the last read's.
func (c *conn) receive(ctx context.Context, s *engine.Session, buf []byte) (int, net.Addr, error) {
	stop := engine.Deadline(ctx, c.pc)
	defer stop()
	if c.resend <= 0 || !c.connected || len(c.last) == 0 {
		return c.pc.ReadFrom(buf)
	}
	end, bounded := ctx.Deadline()
	for {
		next := time.Now().Add(c.resend)
		c.readUntil(ctx, next, end, bounded)
		n, from, err := c.pc.ReadFrom(buf)
		if err == nil || ctx.Err() != nil {
			return n, from, err
		}
		refused := errors.Is(err, syscall.ECONNREFUSED)
		if !refused && !errors.Is(err, os.ErrDeadlineExceeded) {
			return n, from, err
		}
		if refused && !sleepUntil(ctx, next) {
			return n, from, err
		}
		if bounded && !time.Now().Before(end) {
			return n, from, err
		}
		if _, werr := c.pc.Write(c.last); werr != nil && !errors.Is(werr, syscall.ECONNREFUSED) {
			return 0, nil, werr
		}
		s.Sent(c.last)
		s.Note("no answer within %s: sent the datagram again", c.resend)
	}
}

// readUntil sets the read deadline to next, or to the step's end when
// that comes first. A cancellation that set the deadline meanwhile is
// kept: it is checked again after the deadline is set.
func (c *conn) readUntil(ctx context.Context, next, end time.Time, bounded bool) {
	if bounded && end.Before(next) {
		next = end
	}
	_ = c.pc.SetReadDeadline(next)
	if ctx.Err() != nil {
		_ = c.pc.SetReadDeadline(time.Now())
	}
}

// sleepUntil waits until t; it returns false when ctx ends first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}
