package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/netrunhq/netrun/steps/internal/netconn"
)

// ParseURL reads a URL of a web scheme (http, https, ws, wss):
// scheme://host[:port][/path...], with the scheme the step's, a host, and a
// port from 1 to 65535 when there is one. What else a URL may hold (a
// user, a query) is for the caller to say.
func ParseURL(raw, scheme string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("bad URL %q: %w", raw, err)
	}
	if err := netconn.Bracketed(raw, u); err != nil {
		return nil, err
	}
	example := scheme + "://host[:port][/path]"
	switch {
	case u.Scheme != scheme || u.Opaque != "":
		return nil, fmt.Errorf("bad URL %q: expected %s", raw, example)
	case u.Hostname() == "":
		return nil, fmt.Errorf("URL %q has no host; expected %s", raw, example)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("URL %q: port %q must be a number from 1 to 65535", raw, p)
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return nil, fmt.Errorf("URL %q: the port after ':' is missing", raw)
	}
	return u, nil
}

// Addr is the host and port a web URL connects to: its port, or 443
// for secure (https, wss) and 80 otherwise.
func Addr(u *url.URL, secure bool) netconn.Addr {
	port := 80
	if secure {
		port = 443
	}
	if p, err := strconv.Atoi(u.Port()); err == nil {
		port = p
	}
	return netconn.Addr{Scheme: u.Scheme, Host: u.Hostname(), Port: port}
}
