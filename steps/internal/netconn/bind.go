package netconn

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"

	"github.com/netrunhq/netrun/engine"
)

// Bind listens on addr ("host:port") for a listen step of a stream plugin
// (tcp, tls, http, ws), notes the address bound in s's transcript, and
// returns the listener and the step's result (its CA files are the
// caller's to set). A failed bind is explained: the address in use, a
// privileged port, an address no interface has.
func Bind(ctx context.Context, s *engine.Session, addr string) (*net.TCPListener, ListenResult, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, ListenResult{}, listenError(addr, err)
	}
	tl := ln.(*net.TCPListener)
	bound := tl.Addr().(*net.TCPAddr)
	s.Note("listening on %s", bound)
	return tl, ListenResult{Address: bound.String(), Host: bound.IP.String(), Port: bound.Port}, nil
}

// listenError explains a failed bind.
func listenError(addr string, err error) error {
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return Explain(err, "cannot listen on %s: the address is already in use", addr)
	case errors.Is(err, syscall.EACCES):
		return Explain(err, "cannot listen on %s: permission denied (ports below 1024 need privileges)", addr)
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return Explain(err, "cannot listen on %s: no interface has that address", addr)
	}
	return fmt.Errorf("cannot listen on %s: %w", addr, err)
}
