package steptest

import (
	"crypto/tls"
	"testing"

	"github.com/netrunhq/netrun/internal/certs"
)

// PKI makes CAs and signed certificates and writes them as PEM files into
// a folder, where a scenario's tls options find them.
type PKI struct {
	t testing.TB
	// Dir is the folder the files are written to.
	Dir string
}

// NewPKI returns a PKI that writes into dir, or into a new folder when
// dir is empty.
func NewPKI(t testing.TB, dir string) *PKI {
	if dir == "" {
		dir = t.TempDir()
	}
	return &PKI{t: t, Dir: dir}
}

// CA makes a CA named name (its subject is CN=name,O=netrun), writes its
// certificate to NAME.pem and returns it with that path.
func (p *PKI) CA(name string) (*certs.CA, string) {
	p.t.Helper()
	ca, err := certs.NewCA(name)
	if err != nil {
		p.t.Fatal(err)
	}
	return ca, p.Write(name+".pem", ca.PEM)
}

// Pair signs leaf with ca, writes the certificate to NAME.crt and its key
// to NAME.key, and returns the pair with those paths.
func (p *PKI) Pair(ca *certs.CA, name string, leaf certs.Leaf) (pair tls.Certificate, certFile, keyFile string) {
	p.t.Helper()
	c, err := ca.Sign(leaf)
	if err != nil {
		p.t.Fatal(err)
	}
	certPEM, keyPEM, err := certs.PEM(c)
	if err != nil {
		p.t.Fatal(err)
	}
	return c, p.Write(name+".crt", certPEM), p.Write(name+".key", keyPEM)
}

// Write writes data to the file name in the folder and returns its path.
func (p *PKI) Write(name string, data []byte) string {
	p.t.Helper()
	return WriteFile(p.t, p.Dir, name, data)
}

// ServerTLS makes a CA named ca, writes it to dir/ca.pem, and returns a
// server configuration with a certificate it signed for localhost and
// 127.0.0.1.
func ServerTLS(t testing.TB, dir string) *tls.Config {
	t.Helper()
	ca, _ := NewPKI(t, dir).CA("ca")
	leaf, err := ca.Sign(certs.Leaf{Hosts: []string{"localhost", "127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{leaf}}
}
