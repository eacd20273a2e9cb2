// Package tlsconf holds what every protocol shares about TLS: the `tls`
// options of a step (ca, cert, key, sni, insecure, min_version), the facts a
// connect result shows about a TLS session, and errors that name why a
// handshake failed.
//
// Trust: verification is on unless `insecure: true`. Without `ca`, the
// system's roots are trusted. With `ca`, only the certificates in that PEM
// file are trusted, not the system's roots, so that a scenario proves which
// authority signed the server's certificate.
//
// Names: the server name checked against the certificate (and sent as SNI)
// is `sni` when given, else the host of the URL. An IP address is checked
// against the certificate's IP SANs and is never sent as SNI.
package tlsconf

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"go.yaml.in/yaml/v4"
)

// Options are the `tls` options of a step. Paths are relative to the
// scenario file's folder.
type Options struct {
	// CA is a PEM file of the only certificates trusted to sign the peer's
	// certificate. On a listener it makes client certificates required.
	CA engine.Template `yaml:"ca"`
	// Cert and Key are PEM files of our certificate and its private key: a
	// client certificate (mTLS) on connect, the server's on listen.
	Cert engine.Template `yaml:"cert"`
	Key  engine.Template `yaml:"key"`
	// SNI is the server name to send and to verify instead of the URL's host.
	SNI engine.Template `yaml:"sni"`
	// Insecure turns certificate verification off.
	Insecure bool `yaml:"insecure"`
	// MinVersion is the lowest TLS version to accept: 1.0, 1.1, 1.2 or 1.3.
	MinVersion engine.Template `yaml:"min_version"`
	// Generate makes the listener's certificate instead of cert and key.
	Generate *Generate `yaml:"generate"`

	node *yaml.Node
}

// plainOptions has the fields of Options without its UnmarshalYAML.
type plainOptions Options

// UnmarshalYAML decodes the options mapping strictly and keeps its node, so
// that Validate can place its errors.
func (o *Options) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return engine.ErrorAt(n, "tls takes a mapping of ca, cert, key, sni, insecure, min_version, generate")
	}
	var p plainOptions
	if err := engine.Strict(n, &p); err != nil {
		return err
	}
	*o = Options(p)
	o.node = n
	return nil
}

// ParseVersion parses a min_version value: 1.0, 1.1, 1.2 or 1.3.
func ParseVersion(v string) (uint16, error) {
	switch strings.TrimSpace(v) {
	case "1.0":
		return tls.VersionTLS10, nil
	case "1.1":
		return tls.VersionTLS11, nil
	case "1.2":
		return tls.VersionTLS12, nil
	case "1.3":
		return tls.VersionTLS13, nil
	}
	return 0, fmt.Errorf("min_version must be 1.0, 1.1, 1.2 or 1.3, not %q", v)
}

// Validate checks the options at load time, after d.Load compiled them:
// literal min_version values, cert and key given together, and for a
// server (listen) that cert and key are there and sni and insecure are not.
// o may be nil (no tls options).
func (o *Options) Validate(d *engine.Decoder, server bool) error {
	var errs engine.ErrorList
	add := func(key, format string, args ...any) {
		errs = append(errs, &engine.Error{Pos: o.pos(d, key), Msg: fmt.Sprintf(format, args...)})
	}
	if o == nil {
		if server {
			errs = append(errs, &engine.Error{Pos: d.Pos(d.Value),
				Msg: "a tls listener needs tls: { cert: FILE, key: FILE } or tls: { generate: { name: NAME } }"})
		}
		return listOrNil(errs)
	}
	if lit, ok := o.MinVersion.Literal(); ok {
		if _, err := ParseVersion(lit); err != nil {
			add("min_version", "%s", err)
		}
	}
	switch {
	case o.Cert.IsSet() && !o.Key.IsSet():
		add("cert", "cert needs key: the file of the certificate's private key")
	case o.Key.IsSet() && !o.Cert.IsSet():
		add("key", "key needs cert: the certificate file of that key")
	case server && o.Cert.IsSet() && o.Generate != nil:
		add("generate", "generate makes the certificate: remove cert and key, or generate")
	case server && !o.Cert.IsSet() && o.Generate == nil:
		add("", "a tls listener needs cert and key (the server's certificate and private key files), or generate: { name: NAME }")
	}
	if o.Generate != nil {
		if server {
			o.Generate.validate(add)
		} else {
			add("generate", "generate is for listeners: it makes the certificate a tls listener presents")
		}
	}
	if server {
		if o.SNI.IsSet() {
			add("sni", "sni is for clients; a listener serves its cert whatever name is asked")
		}
		if o.Insecure {
			add("insecure", "insecure is for clients; on a listener, ca makes client certificates required")
		}
	} else if o.Insecure && o.CA.IsSet() {
		add("insecure", "insecure: true turns verification off, so ca has no effect: remove one of them")
	}
	return listOrNil(errs)
}

// pos places an error at key of the options mapping, or at the mapping.
func (o *Options) pos(d *engine.Decoder, key string) engine.Pos {
	if o.node == nil {
		return d.Pos(d.Value)
	}
	if k := engine.MapKey(o.node, key); key != "" && k != nil {
		return d.Pos(k)
	}
	return d.Pos(o.node)
}

func listOrNil(errs engine.ErrorList) error {
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// settings are the options evaluated: paths resolved, text parsed.
type settings struct {
	ca, cert, key, sni string
	insecure           bool
	minVersion         uint16
}

// eval evaluates the templates of o in s; o may be nil.
func (o *Options) eval(s *engine.Session) (settings, error) {
	var st settings
	if o == nil {
		return st, nil
	}
	st.insecure = o.Insecure
	for _, f := range []struct {
		name string
		t    *engine.Template
		dst  *string
		path bool
	}{
		{"ca", &o.CA, &st.ca, true},
		{"cert", &o.Cert, &st.cert, true},
		{"key", &o.Key, &st.key, true},
		{"sni", &o.SNI, &st.sni, false},
	} {
		if !f.t.IsSet() {
			continue
		}
		v, err := f.t.String(s)
		if err != nil {
			return st, fmt.Errorf("tls %s: %w", f.name, err)
		}
		if f.path {
			v = s.Path(v)
		}
		*f.dst = v
	}
	if o.MinVersion.IsSet() {
		v, err := o.MinVersion.String(s)
		if err != nil {
			return st, fmt.Errorf("tls min_version: %w", err)
		}
		if st.minVersion, err = ParseVersion(v); err != nil {
			return st, err
		}
	}
	return st, nil
}

// Client returns the client configuration for a connection to host (a name
// or an IP address, without port). o may be nil: verify against the
// system's roots. The configuration carries a session cache, so that
// connections made with it (or with its Clone) can resume sessions.
func (o *Options) Client(s *engine.Session, host string) (*tls.Config, error) {
	st, err := o.eval(s)
	if err != nil {
		return nil, err
	}
	return st.client(host)
}

// Server returns the configuration of a TLS listener: its certificate, and
// with ca, client certificates required and verified against ca.
func (o *Options) Server(s *engine.Session) (*tls.Config, error) {
	st, err := o.eval(s)
	if err != nil {
		return nil, err
	}
	return st.server()
}

func (st settings) client(host string) (*tls.Config, error) {
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	cfg := &tls.Config{
		ServerName:         host,
		InsecureSkipVerify: st.insecure,
		MinVersion:         st.minVersion,
		ClientSessionCache: tls.NewLRUClientSessionCache(0),
	}
	if st.sni != "" {
		cfg.ServerName = st.sni
	}
	if st.ca != "" {
		pool, err := loadPool(st.ca)
		if err != nil {
			return nil, err
		}
		cfg.RootCAs = pool
	}
	if st.cert != "" {
		pair, err := loadPair(st.cert, st.key)
		if err != nil {
			return nil, err
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

func (st settings) server() (*tls.Config, error) {
	if st.cert == "" {
		return nil, fmt.Errorf("a tls listener needs cert and key")
	}
	pair, err := loadPair(st.cert, st.key)
	if err != nil {
		return nil, err
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: st.minVersion}
	if st.ca != "" {
		pool, err := loadPool(st.ca)
		if err != nil {
			return nil, err
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

// loadPool reads a PEM file of trusted certificates.
func loadPool(path string) (*x509.CertPool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tls ca: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("tls ca: %s holds no PEM certificate", path)
	}
	return pool, nil
}

// loadPair reads a certificate and its key from PEM files.
func loadPair(cert, key string) (tls.Certificate, error) {
	if key == "" {
		return tls.Certificate{}, fmt.Errorf("tls cert %s: key is missing", cert)
	}
	pair, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("tls cert %s, key %s: %w", cert, key, err)
	}
	return pair, nil
}
