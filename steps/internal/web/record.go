package web

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"

	"github.com/netrunhq/netrun/engine"
)

// recordCap bounds what a client's connection keeps of each direction
// between two requests: enough for a request's line and headers.
const recordCap = maxHeaderBytes

// recConn is a client's connection to a listener. It keeps what the
// client sent since its last request was handed to the listener's
// handler, and what the server wrote meanwhile, so that a request the
// HTTP server refuses on its own (400 for a missing Host header, a bad
// request line) or a client that sends half a request and waits or
// closes is explained to the accept step with the raw bytes, instead of
// "no request came". Nothing is kept while a request is being handled or
// once the connection is hijacked (a WebSocket).
type recConn struct {
	net.Conn
	tls *tls.Conn // the TLS connection under it; nil on plain text

	mu       sync.Mutex
	in, out  []byte
	handling bool // a request is with the handler: nothing is kept
	done     bool // hijacked: nothing is kept any more
	closed   bool // the client closed before the server wrote a thing
	// held is the byte net/http's background read takes while a request
	// is handled, to notice a client that goes: the next request's
	// first byte when the client sends one at once.
	held []byte
}

// Read keeps what it reads, up to recordCap.
func (c *recConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && len(p) == 1 {
		c.mu.Lock()
		if c.handling && !c.done {
			c.held = append(c.held[:0], p[0])
		}
		c.mu.Unlock()
	}
	c.keep(&c.in, p[:max(n, 0)])
	if errors.Is(err, io.EOF) {
		c.mu.Lock()
		c.closed = len(c.out) == 0
		c.mu.Unlock()
	}
	return n, err
}

// Write keeps what the server writes, up to recordCap.
func (c *recConn) Write(p []byte) (int, error) {
	c.keep(&c.out, p)
	return c.Conn.Write(p)
}

// keep appends p to *buf within recordCap, unless nothing is kept now.
func (c *recConn) keep(buf *[]byte, p []byte) {
	if len(p) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.handling || c.done {
		return
	}
	*buf = append(*buf, p[:min(len(p), max(0, recordCap-len(*buf)))]...)
}

// take marks the request the server just read as taken by the handler,
// and returns its line and headers as the client sent them: nil when
// they were not all kept (read with an earlier request, as a pipelined
// one is, or beyond recordCap; the line must start with method).
func (c *recConn) take(method string) []byte {
	c.mu.Lock()
	in := c.in
	c.mu.Unlock()
	c.handle(true)
	if !bytes.HasPrefix(in, []byte(method+" ")) {
		return nil
	}
	for _, end := range []string{"\r\n\r\n", "\n\n"} {
		if i := bytes.Index(in, []byte(end)); i >= 0 {
			return in[:i+len(end)]
		}
	}
	return nil
}

// handle marks a request as taken by the handler (on), or the
// connection as idle again (off: its answer and the rest of its body are
// done with, as net/http says with StateIdle): what was kept so far
// belonged to that request, and is forgotten.
func (c *recConn) handle(on bool) {
	c.mu.Lock()
	held := c.held
	c.in, c.out, c.handling, c.closed, c.held = nil, nil, on, false, nil
	if !on {
		c.in = held
	}
	c.mu.Unlock()
}

// hijacked stops keeping anything: the connection is no longer HTTP.
func (c *recConn) hijacked() {
	c.mu.Lock()
	c.in, c.out, c.done = nil, nil, true
	c.mu.Unlock()
}

// refused explains, once the connection closed, a request that never
// reached the handler: one the HTTP server answered itself with an
// error, or part of one the client sent before closing. nil when the
// client sent nothing since its last request.
func (c *recConn) refused() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done || c.handling || len(bytes.TrimSpace(c.in)) == 0 {
		return nil
	}
	if status, _, ok := bytes.Cut(c.out, []byte("\r\n")); ok && !c.closed && bytes.HasPrefix(status, []byte("HTTP/1.")) {
		return &engine.Mismatch{Msg: fmt.Sprintf("client %s sent a request the HTTP server refused: %s",
			c.RemoteAddr(), bytes.TrimPrefix(bytes.TrimPrefix(status, []byte("HTTP/1.1 ")), []byte("HTTP/1.0 "))),
			Received: bytes.Clone(c.in)}
	}
	return &engine.Mismatch{Msg: fmt.Sprintf("client %s closed its connection after sending part of a request (no empty line ends its headers?)", c.RemoteAddr()),
		Received: bytes.Clone(c.in)}
}

// partial is what the client sent of a request not yet complete, or nil.
func (c *recConn) partial() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done || c.handling || len(bytes.TrimSpace(c.in)) == 0 {
		return nil
	}
	return bytes.Clone(c.in)
}

// recListener wraps each plain-text client in a recConn.
type recListener struct{ net.Listener }

// Accept returns the next client, recorded.
func (l recListener) Accept() (net.Conn, error) {
	nc, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &recConn{Conn: nc}, nil
}
