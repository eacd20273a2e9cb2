package httpstep

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
)

const (
	// maxRedirects is how many redirects one request follows.
	maxRedirects = 10
	// maxHeaderBytes bounds the header of a response.
	maxHeaderBytes = 1 << 20
	// dialTimeout and handshakeTimeout bound a connection the transport
	// keeps making after the request that asked for it gave up.
	dialTimeout      = 30 * time.Second
	handshakeTimeout = 30 * time.Second
	// userAgent is sent unless the scenario sets User-Agent.
	userAgent = "netrun"
)

// clientConfig is a connect step's options, evaluated.
type clientConfig struct {
	base *url.URL
	tls  *tls.Config
	// sni is true when the TLS server name was given with sni, so that it
	// is kept for every host; otherwise each host is checked by its name.
	sni           bool
	headers       map[string]string
	authorization string // "Basic ...", or empty
	follow        bool
	maxBody       int
}

// client is an open http:// or https:// connection: a base URL and one
// http.Client whose transport keeps connections alive between steps.
type client struct {
	clientConfig
	hc     *http.Client
	tr     *http.Transport
	tap    *tap
	dialer net.Dialer

	mu    sync.Mutex
	spare net.Conn // made by connect, for the first request
	// spareAddr and spareTLS say which requests may use spare.
	spareAddr string
	spareTLS  bool
}

func newClient(cfg clientConfig) (*client, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, fmt.Errorf("cookie jar: %w", err)
	}
	c := &client{clientConfig: cfg, tap: &tap{}, dialer: net.Dialer{Timeout: dialTimeout}}
	c.tr = &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			nc, _, err := c.dial(ctx, addr, false)
			return nc, err
		},
		DialTLSContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			nc, _, err := c.dial(ctx, addr, true)
			return nc, err
		},
		// HTTP/1.1 only, so that the transcript shows the exchange as text.
		TLSNextProto:           map[string]func(string, *tls.Conn) http.RoundTripper{},
		DisableCompression:     true,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: maxHeaderBytes,
		ExpectContinueTimeout:  time.Second,
	}
	c.hc = &http.Client{Transport: c.tr, Jar: jar, CheckRedirect: checkRedirect}
	return c, nil
}

// dialFirst makes connect's connection and keeps it for the first request
// to addr.
func (c *client) dialFirst(ctx context.Context, addr string, useTLS bool) (net.Conn, *tlsconf.Info, error) {
	nc, info, err := c.open(ctx, addr, useTLS)
	if err != nil {
		return nil, nil, err
	}
	c.mu.Lock()
	c.spare, c.spareAddr, c.spareTLS = nc, addr, useTLS
	c.mu.Unlock()
	return nc, info, nil
}

// dial gives the transport a connection to addr: connect's, while it is
// unused and still open, or a new one.
func (c *client) dial(ctx context.Context, addr string, useTLS bool) (net.Conn, *tlsconf.Info, error) {
	c.mu.Lock()
	spare := c.spare
	if spare != nil && addr == c.spareAddr && useTLS == c.spareTLS {
		c.spare = nil
	} else {
		spare = nil
	}
	c.mu.Unlock()
	if spare != nil {
		if stillOpen(spare) {
			return spare, nil, nil
		}
		_ = spare.Close()
		c.tap.note("the server closed the connection made by connect; connecting again")
	}
	return c.open(ctx, addr, useTLS)
}

// open connects to addr within ctx, with TLS when useTLS is set, and
// returns the connection wrapped in the tap.
func (c *client) open(ctx context.Context, addr string, useTLS bool) (net.Conn, *tlsconf.Info, error) {
	raw, err := c.dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, nil, netconn.DialError("tcp", addr, err)
	}
	c.tap.note("connected to %s from %s", raw.RemoteAddr(), raw.LocalAddr())
	if !useTLS {
		return c.tap.wrap(raw), nil, nil
	}
	cfg := c.tls.Clone()
	if !c.sni {
		host, _, _ := net.SplitHostPort(addr)
		cfg.ServerName = host
	}
	tc := tls.Client(raw, cfg)
	hctx, cancel := context.WithTimeout(ctx, handshakeTimeout)
	defer cancel()
	info, err := tlsconf.ClientHandshake(hctx, tc, addr)
	if err != nil {
		_ = raw.Close()
		return nil, nil, err
	}
	c.tap.note("%s", tlsconf.NoteText(info))
	return c.tap.wrap(tc), info, nil
}

// stillOpen reports whether the server has not closed nc: a read that waits a
// millisecond and finds nothing. Data or an end of stream means the
// connection cannot carry a request.
func stillOpen(nc net.Conn) bool {
	if err := nc.SetReadDeadline(time.Now().Add(time.Millisecond)); err != nil {
		return false
	}
	var b [1]byte
	n, err := nc.Read(b[:])
	_ = nc.SetReadDeadline(time.Time{})
	return n == 0 && errors.Is(err, os.ErrDeadlineExceeded)
}

// Close drops the client's connections.
func (c *client) Close(context.Context) error {
	c.close()
	return nil
}

func (c *client) close() {
	c.mu.Lock()
	spare := c.spare
	c.spare = nil
	c.mu.Unlock()
	if spare != nil {
		_ = spare.Close()
	}
	c.tr.CloseIdleConnections()
}

// redirects is what a request's context carries for checkRedirect.
type redirects struct {
	follow bool
	count  int
}

type redirectsKey struct{}

// checkRedirect follows a redirect when the request allows it, at most
// maxRedirects times, and stops at a loop.
func checkRedirect(req *http.Request, via []*http.Request) error {
	r, _ := req.Context().Value(redirectsKey{}).(*redirects)
	if r == nil || !r.follow {
		return http.ErrUseLastResponse
	}
	here := req.Method + " " + req.URL.String()
	for _, v := range via {
		if v.Method+" "+v.URL.String() == here {
			return fmt.Errorf("redirect loop: %s leads back to %s, requested before", via[len(via)-1].URL, req.URL)
		}
	}
	if via[0].URL.Scheme == "https" && req.URL.Scheme == "http" && req.Header.Get("Authorization") != "" {
		return fmt.Errorf("refused to follow a redirect from https to %s: it would send the credentials in clear text", req.URL.Redacted())
	}
	if len(via) > maxRedirects {
		return fmt.Errorf("stopped after %d redirects (the next to %s)", maxRedirects, req.URL)
	}
	r.count = len(via)
	return nil
}
