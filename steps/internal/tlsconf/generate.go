package tlsconf

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/certs"
)

// Generate asks a listener for a certificate that netrun makes when the
// step runs, for Name, signed by a new CA of its own, or by the CA whose
// certificate and key are the PEM files CA and CAKey (such as those of an
// earlier listener's result: ca and ca_key). So a scenario can present a
// client first the right certificate, then one for another name from the
// same CA, or one from another CA, and grade whether it refuses them.
type Generate struct {
	// Name is the DNS name or IP address the certificate is for.
	Name  engine.Template `yaml:"name"`
	CA    engine.Template `yaml:"ca"`
	CAKey engine.Template `yaml:"ca_key"`
}

// Generated are the files made for a generate: the CA's certificate (for
// the client under test to trust) and key, and the server's pair. They are
// in a folder of their own that Remove deletes.
type Generated struct {
	Dir, CA, CAKey, Cert, Key string
}

// Remove deletes the files; g may be nil.
func (g *Generated) Remove() error {
	if g == nil {
		return nil
	}
	if err := os.RemoveAll(g.Dir); err != nil {
		return fmt.Errorf("remove generated certificates: %w", err)
	}
	return nil
}

// validate checks a generate at load time.
func (g *Generate) validate(add func(key, format string, args ...any)) {
	if !g.Name.IsSet() {
		add("generate", "generate needs name: the DNS name or IP address of the certificate")
	}
	if g.CA.IsSet() != g.CAKey.IsSet() {
		add("generate", "generate takes ca and ca_key together: the PEM files of the signing CA's certificate and key")
	}
}

// Listener returns the configuration of a TLS listener: that of Server,
// or with generate a new certificate, whose files it returns too (the
// caller removes them when the listener closes).
func (o *Options) Listener(s *engine.Session) (*tls.Config, *Generated, error) {
	if o == nil || o.Generate == nil {
		cfg, err := o.Server(s)
		return cfg, nil, err
	}
	st, err := o.eval(s)
	if err != nil {
		return nil, nil, err
	}
	g, err := o.Generate.make(s)
	if err != nil {
		return nil, nil, err
	}
	st.cert, st.key = g.Cert, g.Key
	cfg, err := st.server()
	if err != nil {
		_ = g.Remove()
		return nil, nil, err
	}
	s.Note("generated a certificate for %s, signed by %s", g.name, g.signer)
	return cfg, &g.Generated, nil
}

// made is a Generated with what a note says about it.
type made struct {
	Generated
	name, signer string
}

// make evaluates the generate and writes its files.
func (g *Generate) make(s *engine.Session) (*made, error) {
	name, err := g.Name.String(s)
	if err != nil {
		return nil, fmt.Errorf("tls generate name: %w", err)
	}
	if name == "" {
		return nil, errors.New("tls generate name: it is empty")
	}
	dir, err := os.MkdirTemp("", "netrun-tls-")
	if err != nil {
		return nil, fmt.Errorf("tls generate: %w", err)
	}
	m := &made{Generated: Generated{Dir: dir}, name: name}
	if err := g.write(s, m); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return m, nil
}

// write signs the certificate and writes the four files into m.Dir.
func (g *Generate) write(s *engine.Session, m *made) error {
	ca, err := g.authority(s)
	if err != nil {
		return err
	}
	m.signer = ca.Cert.Subject.CommonName
	pair, err := ca.Sign(certs.Leaf{Hosts: []string{m.name}})
	if err != nil {
		return fmt.Errorf("tls generate: %w", err)
	}
	certPEM, keyPEM, err := certs.PEM(pair)
	if err != nil {
		return fmt.Errorf("tls generate: %w", err)
	}
	caKey, err := certs.KeyPEM(ca.Key)
	if err != nil {
		return fmt.Errorf("tls generate: %w", err)
	}
	files := []struct {
		dst  *string
		name string
		data []byte
	}{
		{&m.CA, "ca.pem", ca.PEM},
		{&m.CAKey, "ca-key.pem", caKey},
		{&m.Cert, "cert.pem", certPEM},
		{&m.Key, "key.pem", keyPEM},
	}
	for _, f := range files {
		*f.dst = filepath.Join(m.Dir, f.name)
		if err := os.WriteFile(*f.dst, f.data, 0o600); err != nil {
			return fmt.Errorf("tls generate: %w", err)
		}
	}
	return nil
}

// authority is a new CA, or the one of the files ca and ca_key.
func (g *Generate) authority(s *engine.Session) (*certs.CA, error) {
	if !g.CA.IsSet() {
		// A name of its own, so that messages tell two generated CAs apart.
		ca, err := certs.NewCA("netrun generated CA " + rand.Text()[:8])
		if err != nil {
			return nil, fmt.Errorf("tls generate: %w", err)
		}
		return ca, nil
	}
	certFile, err := g.CA.String(s)
	if err != nil {
		return nil, fmt.Errorf("tls generate ca: %w", err)
	}
	keyFile, err := g.CAKey.String(s)
	if err != nil {
		return nil, fmt.Errorf("tls generate ca_key: %w", err)
	}
	return loadCA(s.Path(certFile), s.Path(keyFile))
}

// loadCA reads a CA's certificate and ECDSA key from PEM files.
func loadCA(certFile, keyFile string) (*certs.CA, error) {
	pair, err := loadPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("tls generate: %w", err)
	}
	cert, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return nil, fmt.Errorf("tls generate ca %s: %w", certFile, err)
	}
	key, ok := pair.PrivateKey.(*ecdsa.PrivateKey)
	if !ok || !cert.IsCA {
		return nil, fmt.Errorf("tls generate ca %s: not an ECDSA certificate authority", certFile)
	}
	return &certs.CA{Cert: cert, Key: key, PEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})}, nil
}
