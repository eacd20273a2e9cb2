package httpstep

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/web"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// DefaultMaxBody is the longest response body kept when max_body is not
// given: 1 MiB. A longer body is cut there and result.truncated is true.
const DefaultMaxBody = 1 << 20

// options are what connect takes beside the URL.
type options struct {
	// Options are tls (https, and http redirected to https) and headers,
	// sent with every request unless the request sets them.
	web.Options `yaml:",inline"`
	// FollowRedirects follows 3xx answers with a Location (default true).
	FollowRedirects engine.Template `yaml:"follow_redirects" netrun:"bool"`
	// MaxBody bounds the response body kept, such as 1MiB (the default).
	MaxBody engine.Template `yaml:"max_body"`
	// Auth sends basic authentication with every request.
	Auth *netconn.Auth `yaml:"auth"`
}

// ConnectResult is the result of connect: remote, local, duration and tls
// of the connection made to check the server, and the base URL.
type ConnectResult struct {
	netconn.ConnectResult
	// URL is the base URL, as requests resolve their paths against it.
	URL string `expr:"url" json:"url"`
}

// connectAction is a compiled connect step.
type connectAction struct {
	engine.Returns[ConnectResult]
	web.Connect
	opts options
}

func decodeConnect(d *engine.Decoder) (engine.TypedAction, error) {
	a := &connectAction{Connect: web.Connect{URLs: baseURLs}}
	err := a.Decode(d, &a.opts, &a.opts.Options, func(errs *wire.LoadErrors) {
		errs.Add(bytesize.Check(&a.opts.MaxBody, "max_body"))
		errs.Add(a.opts.Auth.Check(d, parseMechanism))
	})
	return a, err
}

// parseMechanism reads auth's mechanism: basic is the only one.
func parseMechanism(m string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(m)) {
	case "", "basic":
		return "basic", nil
	}
	return "", fmt.Errorf("http auth mechanism %q: only basic is supported (give other schemes with headers: { Authorization: ... })", m)
}

// baseURLs reads base URLs scheme://host[:port][/path], port 443 for
// https and 80 for http unless given.
var baseURLs = web.URLs{Secure: "https", Check: checkBase}

// checkBase refuses user names, queries and fragments in a base URL (auth
// and query have their own keys), and drops the path's final slash.
func checkBase(raw string, u *url.URL) error {
	switch {
	case u.User != nil:
		return fmt.Errorf("URL %q has a user name: give it with auth: { user, password }", raw)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return fmt.Errorf("URL %q has a query or fragment: give queries in send or fetch", raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return nil
}

// Do evaluates the options, opens the client and makes a first connection
// to the server (with the TLS handshake for https), kept for the first
// request.
func (a *connectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	base, err := a.EvalURL(s)
	if err != nil {
		return nil, err
	}
	cfg, err := a.config(s, base)
	if err != nil {
		return nil, err
	}
	c, err := newClient(cfg)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	addr := baseURLs.Addr(base).String()
	nc, info, err := c.dialFirst(ctx, addr, base.Scheme == "https")
	c.tap.drain(s)
	if err != nil {
		c.close()
		return nil, err
	}
	res := ConnectResult{URL: base.String(), ConnectResult: netconn.Connected(nc, start, info)}
	s.Open(ctx, c)
	return res, nil
}

// config evaluates the options into what a client needs.
func (a *connectAction) config(s *engine.Session, base *url.URL) (clientConfig, error) {
	cfg := clientConfig{base: base, follow: true}
	var err error
	if cfg.maxBody, err = bytesize.Eval(s, &a.opts.MaxBody, "max_body", DefaultMaxBody); err != nil {
		return cfg, err
	}
	if a.opts.FollowRedirects.IsSet() {
		if cfg.follow, err = a.opts.FollowRedirects.Bool(s); err != nil {
			return cfg, fmt.Errorf("follow_redirects: %w", err)
		}
	}
	if cfg.headers, err = web.EvalHeaders(s, a.opts.Headers); err != nil {
		return cfg, err
	}
	cred, err := a.opts.Auth.Resolve(s, parseMechanism)
	if err != nil {
		return cfg, err
	}
	if cred != nil {
		if strings.Contains(cred.User, ":") {
			return cfg, fmt.Errorf("auth user %q: basic authentication cannot carry a ':' in the user name", cred.User)
		}
		s.Secret(cred.Password)
		blob := base64.StdEncoding.EncodeToString([]byte(cred.User + ":" + cred.Password))
		s.Secret(blob)
		cfg.authorization = "Basic " + blob
	}
	host := base.Hostname()
	if cfg.tls, err = a.opts.TLS.Client(s, host); err != nil {
		return cfg, err
	}
	cfg.sni = cfg.tls.ServerName != host
	return cfg, nil
}
