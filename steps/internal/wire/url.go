package wire

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/netrunhq/netrun/engine"
)

// Addr is the address part of a URL such as tcp://host:port.
type Addr struct {
	Scheme string
	// Host is a name or an IP address, without brackets; empty in a listen
	// URL such as tcp://:0 means every interface.
	Host string
	Port int
}

// String returns host:port, with brackets around an IPv6 address.
func (a Addr) String() string { return net.JoinHostPort(a.Host, strconv.Itoa(a.Port)) }

// ParseURL reads scheme://host:port. The port is required (0 asks a
// listener for any free port); paths, queries and user names are errors.
// listen allows an empty host and port 0.
func ParseURL(raw string, listen bool) (Addr, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return Addr{}, fmt.Errorf("bad URL %q: %w", raw, err)
	}
	if err := bracketed(raw, u); err != nil {
		return Addr{}, err
	}
	example := u.Scheme + "://host:port"
	if listen {
		example = u.Scheme + "://127.0.0.1:0"
	}
	switch {
	case u.Scheme == "" || u.Opaque != "":
		return Addr{}, fmt.Errorf("bad URL %q: expected %s", raw, example)
	case u.User != nil:
		return Addr{}, fmt.Errorf("URL %q has a user name; %s takes none", raw, u.Scheme)
	case (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "":
		return Addr{}, fmt.Errorf("URL %q has a path or query; expected %s", raw, example)
	case u.Port() == "":
		return Addr{}, fmt.Errorf("URL %q has no port; expected %s", raw, example)
	case u.Hostname() == "" && !listen:
		return Addr{}, fmt.Errorf("URL %q has no host; expected %s", raw, example)
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil || port < 0 || port > 65535 || (port == 0 && !listen) {
		return Addr{}, fmt.Errorf("URL %q: port %q must be a number from 1 to 65535", raw, u.Port())
	}
	return Addr{Scheme: strings.ToLower(u.Scheme), Host: u.Hostname(), Port: port}, nil
}

// EvalURL evaluates a URL template and parses it.
func EvalURL(s *engine.Session, t *engine.Template, listen bool) (Addr, error) {
	raw, err := t.String(s)
	if err != nil {
		return Addr{}, fmt.Errorf("url: %w", err)
	}
	return ParseURL(raw, listen)
}

// ShortURL renders a URL template without its scheme, for a default step
// name: "127.0.0.1:7".
func ShortURL(t *engine.Template) string {
	src := t.Source()
	if i := strings.Index(src, "://"); i >= 0 {
		src = src[i+3:]
	}
	return strings.TrimSuffix(src, "/")
}

// ParseWebURL reads a URL of a web scheme (http, https, ws, wss):
// scheme://host[:port][/path...], with the scheme the step's, a host, and a
// port from 1 to 65535 when there is one. What else a URL may hold (a
// user, a query) is for the caller to say.
func ParseWebURL(raw, scheme string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("bad URL %q: %w", raw, err)
	}
	if err := bracketed(raw, u); err != nil {
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

// WebAddr is the host and port a web URL connects to: its port, or 443
// for secure (https, wss) and 80 otherwise.
func WebAddr(u *url.URL, secure bool) Addr {
	port := 80
	if secure {
		port = 443
	}
	if p, err := strconv.Atoi(u.Port()); err == nil {
		port = p
	}
	return Addr{Scheme: u.Scheme, Host: u.Hostname(), Port: port}
}

// bracketed fails on an IPv6 address written without brackets, such as
// tcp://::1:7: url.Parse reads it as host "::1", port 7, and tcp://::1 as
// host ":", port 1. The loader refuses a literal one; this is for a URL
// made by a template.
func bracketed(raw string, u *url.URL) error {
	if strings.Count(u.Host, ":") > 1 && !strings.HasPrefix(u.Host, "[") {
		return fmt.Errorf("URL %q: an IPv6 address goes in brackets, as in %s://[::1]:7", raw, u.Scheme)
	}
	return nil
}
