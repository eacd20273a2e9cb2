package netconn

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/wire"
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
func ParseURL(raw string, listen bool) (Addr, error) { return parseURL(raw, listen, 0) }

// ParseURL reads scheme://host[:port]; without a port, the default port of
// scheme. Paths, queries and user names are errors (see ParseURL).
func (p Protocol) ParseURL(raw, scheme string) (Addr, error) {
	port := p.PlainPort
	if p.Implicit(scheme) {
		port = p.SecurePort
	}
	return parseURL(raw, false, port)
}

// parseURL is ParseURL; a URL with a host and no port (not even the colon)
// takes the port def when it is not 0. Errors quote raw, as written.
func parseURL(raw string, listen bool, def int) (Addr, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return Addr{}, fmt.Errorf("bad URL %q: %w", raw, err)
	}
	if err := Bracketed(raw, u); err != nil {
		return Addr{}, err
	}
	portText := u.Port()
	if portText == "" && def != 0 && u.Host != "" && !strings.HasSuffix(u.Host, ":") {
		portText = strconv.Itoa(def)
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
	case portText == "":
		return Addr{}, fmt.Errorf("URL %q has no port; expected %s", raw, example)
	case u.Hostname() == "" && !listen:
		return Addr{}, fmt.Errorf("URL %q has no host; expected %s", raw, example)
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 0 || port > 65535 || (port == 0 && !listen) {
		return Addr{}, fmt.Errorf("URL %q: port %q must be a number from 1 to 65535", raw, portText)
	}
	return Addr{Scheme: strings.ToLower(u.Scheme), Host: u.Hostname(), Port: port}, nil
}

// EvalURL evaluates a URL template and parses it.
func EvalURL(s *engine.Session, t *engine.Template, listen bool) (Addr, error) {
	raw, err := t.String(s)
	if err != nil {
		return Addr{}, fmt.Errorf("url: %w", err)
	}
	a, err := ParseURL(raw, listen)
	// A URL that does not parse is the scenario's, not the peer's.
	return a, engine.Own(err)
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

// Bracketed fails on an IPv6 address written without brackets, such as
// tcp://::1:7: url.Parse reads it as host "::1", port 7, and tcp://::1 as
// host ":", port 1. The loader refuses a literal one; this is for a URL
// made by a template.
func Bracketed(raw string, u *url.URL) error {
	if strings.Count(u.Host, ":") > 1 && !strings.HasPrefix(u.Host, "[") {
		return fmt.Errorf("URL %q: an IPv6 address goes in brackets, as in %s://[::1]:7", raw, u.Scheme)
	}
	return nil
}

// DecodeOpen compiles the URL and the options of a step that opens a
// connection (connect, listen): d.Value into url, checked now with parse
// when it is literal, and d.Options into opts, strictly. When the options
// load, check runs their own load-time checks. DecodeOpen sets d.Name to
// "SCHEME VERB HOST:PORT" and returns every error found.
func DecodeOpen(d *engine.Decoder, url *engine.Template, parse func(raw string) (Addr, error), opts any, check func() error) error {
	errs := wire.LoadErrors{At: d.Pos(d.Value)}
	if err := d.Load(d.Value, url); err != nil {
		errs.Add(err)
	} else if lit, ok := url.Literal(); ok {
		if _, err := parse(lit); err != nil {
			errs.Add(&engine.Error{Pos: url.Pos(), Msg: err.Error()})
		}
	}
	if err := d.Load(d.Options, opts); err != nil {
		errs.Add(err)
	} else {
		errs.Add(check())
	}
	d.Name = d.Scheme + " " + d.Verb + " " + ShortURL(url)
	return errs.Err()
}
