// Package sandbox runs netrun's built-in servers on loopback, so that
// scenarios run with no outside infrastructure.
//
// A Sandbox starts each service on first use (Address), independently of the
// others, or all of them at once (StartAll, Serve). Services share the state
// kept on the Sandbox: the certificate authority that signs every TLS
// service's certificate, whose PEM file is Address(ctx, "ca"), the users, and
// one mail store. Mail that smtp, smtps or submission takes for a user (alice,
// alice@example.test or alice@localhost) lands in that user's INBOX, which
// imap, imaps, pop3 and pop3s read and change. nntp and nntps share one
// news store: the groups comp.lang.python and local.test, seeded with
// articles, and local.general, empty, where alice and bob may post.
package sandbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/netrunhq/netrun/internal/certs"
	"github.com/netrunhq/netrun/sandbox/internal/mailstore"
	"github.com/netrunhq/netrun/sandbox/internal/nntpd"
)

const (
	defaultHost = "127.0.0.1"
	// idleTimeout closes a connection on which nothing was read or written
	// for that long, so abandoned connections do not pile up.
	idleTimeout = 5 * time.Minute
	// maxConns is the number of connections each stream service serves at
	// once; later clients wait in the listen backlog until one ends.
	maxConns = 128
	// caName is the Address name of the CA certificate file.
	caName = "ca"
	// caKeyName is the Address name of the CA's key file, for a scenario
	// that signs a certificate with the sandbox CA (tls: { generate }).
	caKeyName = "ca_key"
	// certName and keyName are the Address names of the files of the
	// certificate every TLS service presents and of its key, for a program
	// under test that serves TLS as the sandbox does.
	certName, keyName = "cert", "key"
)

// errClosed is returned once Close has been called.
var errClosed = errors.New("sandbox is closed")

// Options configure a Sandbox. The zero value is ready to use.
type Options struct {
	// Host is the address every service listens on; default "127.0.0.1".
	Host string
	// PortBase, when not 0, gives service i of Services() the port
	// PortBase+i on every start; 0 lets the system pick free ports.
	PortBase int
	// Dir is the folder the CA certificate file ca.pem is written to. It is
	// created when missing and kept by Close. The default is a temporary
	// folder that Close removes.
	Dir string
	// Users maps user names to passwords for services that authenticate.
	// Nil or empty means alice and bob, both with the password "secret".
	Users map[string]string
}

// Sandbox is a set of built-in servers, each started on first use. Its
// methods are safe for concurrent use. Close stops it.
type Sandbox struct {
	host     string
	portBase int
	dir      string
	users    map[string]string
	idle     time.Duration
	maxConns int
	names    []string         // Services(), in port order
	slots    map[string]*slot // the services and the CA, by name
	done     chan struct{}    // closed by Close
	wg       sync.WaitGroup   // starts, listeners and connections in flight

	mu      sync.Mutex
	closed  bool
	open    map[io.Closer]struct{} // listeners and connections Close closes
	tempDir string                 // made for the CA file; removed by Close

	ca *certs.CA // set by the "ca" slot's start, read after it is ready

	tlsMu sync.Mutex
	tls   *tls.Config // every TLS service's, made by serverTLS on first use

	mail *mailstore.Store // shared by smtp, imap and pop3 and their TLS forms
	news *nntpd.Store     // shared by nntp and nntps
	ftp  *ftpFiles        // shared by ftp and ftps
	sms  *smsGateway      // shared by http and https
	slow *slowRoom        // shared by http and https
}

// slot starts one service (or makes the CA) exactly once and keeps the result.
type slot struct {
	start   func() (string, error)
	started bool          // guarded by Sandbox.mu
	ready   chan struct{} // closed when addr and err are set
	addr    string
	err     error
}

// New returns a sandbox configured by opts. Nothing is started or created
// until a service is asked for.
func New(opts Options) *Sandbox {
	s := &Sandbox{
		host:     opts.Host,
		portBase: opts.PortBase,
		dir:      opts.Dir,
		users:    maps.Clone(opts.Users),
		idle:     idleTimeout,
		maxConns: maxConns,
		slots:    map[string]*slot{},
		done:     make(chan struct{}),
		open:     map[io.Closer]struct{}{},
	}
	if s.host == "" {
		s.host = defaultHost
	}
	if len(s.users) == 0 {
		s.users = map[string]string{"alice": "secret", "bob": "secret"}
	}
	s.mail = mailstore.New(s.users)
	s.news = nntpd.NewStore(s.users)
	s.ftp = newFTPFiles(s.users)
	s.sms = newSMSGateway(s.users)
	s.slow = newSlowRoom()
	s.slots[caName] = &slot{start: s.startCA, ready: make(chan struct{})}
	s.slots[caKeyName] = &slot{start: s.startCAKey, ready: make(chan struct{})}
	s.slots[certName] = &slot{start: s.startServerCert(false), ready: make(chan struct{})}
	s.slots[keyName] = &slot{start: s.startServerCert(true), ready: make(chan struct{})}
	for i, e := range catalog() {
		s.names = append(s.names, e.name)
		s.slots[e.name] = &slot{start: s.starter(i, e), ready: make(chan struct{})}
	}
	return s
}

// starter returns the start function of the i-th service.
func (s *Sandbox) starter(i int, e entry) func() (string, error) {
	return func() (string, error) {
		port := 0
		if s.portBase != 0 {
			port = s.portBase + i
			if port <= 0 || port > 65535 {
				return "", fmt.Errorf("port %d out of range (port base %d)", port, s.portBase)
			}
		}
		return s.start(e, net.JoinHostPort(s.host, strconv.Itoa(port)))
	}
}

// Names returns every name Address knows: the services, then the files
// "ca", "ca_key", "cert" and "key".
func Names() []string {
	var out []string
	for _, e := range catalog() {
		out = append(out, e.name)
	}
	return append(out, caName, caKeyName, certName, keyName)
}

// Services returns the names of the services in a stable order: the order
// in which Options.PortBase gives them ports. New services are only ever
// appended, so that existing ones keep their ports.
func (s *Sandbox) Services() []string {
	return append([]string(nil), s.names...)
}

// Address starts the named service on first use and returns its address,
// "host:port". Concurrent callers share one start; a failed start is not
// retried. Address(ctx, "ca") returns the absolute path of the PEM file of the
// CA that signs every TLS service's certificate, created on first use, and
// Address(ctx, "ca_key") that of its private key; "cert" and "key" are
// the files of the certificate every TLS service presents and of its key.
// An unknown name is an error that lists the known names.
func (s *Sandbox) Address(ctx context.Context, name string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("sandbox %s: %w", name, err)
	}
	s.mu.Lock()
	sl, ok := s.slots[name]
	switch {
	case !ok:
		s.mu.Unlock()
		return "", fmt.Errorf("unknown sandbox service %q (known: %s)", name, strings.Join(s.known(), ", "))
	case s.closed:
		s.mu.Unlock()
		return "", fmt.Errorf("sandbox %s: %w", name, errClosed)
	}
	first := !sl.started
	if first {
		sl.started = true
		s.wg.Add(1) // Close waits for starts in flight
	}
	s.mu.Unlock()
	if first {
		sl.addr, sl.err = sl.start()
		close(sl.ready)
		s.wg.Done()
	}
	select {
	case <-sl.ready:
	case <-ctx.Done():
		return "", fmt.Errorf("sandbox %s: %w", name, ctx.Err())
	}
	if sl.err != nil {
		return "", fmt.Errorf("sandbox %s: %w", name, sl.err)
	}
	return sl.addr, nil
}

// known returns every name Address accepts.
func (s *Sandbox) known() []string {
	return append([]string{caName, caKeyName, certName, keyName}, s.names...)
}

// StartAll starts every service in the order of Services() and calls ready,
// when not nil, with each name and address as soon as that service is up. It
// stops at the first service that cannot start.
func (s *Sandbox) StartAll(ctx context.Context, ready func(name, addr string)) error {
	for _, name := range s.names {
		addr, err := s.Address(ctx, name)
		if err != nil {
			return err
		}
		if ready != nil {
			ready(name, addr)
		}
	}
	return nil
}

// Close stops every service: it closes every listener and connection, waits
// for every goroutine of the sandbox to end and removes the temporary folder
// of the CA file. Later calls of Address fail; Close may be called again.
func (s *Sandbox) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		s.wg.Wait()
		return nil
	}
	s.closed = true
	close(s.done)
	open := make([]io.Closer, 0, len(s.open))
	for c := range s.open {
		open = append(open, c)
	}
	s.mu.Unlock()
	for _, c := range open {
		_ = c.Close() // the owner goroutine sees the error and ends
	}
	s.wg.Wait()
	s.mu.Lock()
	dir := s.tempDir
	s.mu.Unlock()
	if dir != "" {
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("remove sandbox folder: %w", err)
		}
	}
	return nil
}

// goServe runs serve in a goroutine that Close waits for, and closes c when
// serve returns; Close closes c earlier to make serve return. When the sandbox
// is closed already, c is closed and errClosed returned.
func (s *Sandbox) goServe(c io.Closer, serve func()) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = c.Close()
		return errClosed
	}
	s.open[c] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		defer func() {
			s.untrack(c)
			_ = c.Close()
		}()
		serve()
	}()
	return nil
}

// track registers c for Close to close and reports true, or reports false
// when the sandbox is closed already. Unlike goServe, it starts nothing that
// Close waits for: the owner of c must be a goroutine Close waits for.
func (s *Sandbox) track(c io.Closer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.open[c] = struct{}{}
	return true
}

// untrack forgets c, which its owner closes.
func (s *Sandbox) untrack(c io.Closer) {
	s.mu.Lock()
	delete(s.open, c)
	s.mu.Unlock()
}

// closing reports whether Close has been called.
func (s *Sandbox) closing() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}
