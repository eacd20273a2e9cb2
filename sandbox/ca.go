package sandbox

import (
	"context"
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"

	"github.com/netrunhq/netrun/internal/certs"
)

// caFile is the name of the CA certificate file in the sandbox folder.
const caFile = "ca.pem"

// startCA makes the sandbox CA, writes its certificate to the sandbox folder
// and returns the file's absolute path. It runs once, through the "ca" slot.
func (s *Sandbox) startCA() (string, error) {
	ca, err := certs.NewCA("netrun sandbox CA")
	if err != nil {
		return "", err
	}
	dir := s.dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "netrun-sandbox-"); err != nil {
			return "", fmt.Errorf("make sandbox folder: %w", err)
		}
		s.mu.Lock()
		s.tempDir = dir
		s.mu.Unlock()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("make sandbox folder: %w", err)
	}
	path, err := filepath.Abs(filepath.Join(dir, caFile))
	if err != nil {
		return "", fmt.Errorf("ca file path: %w", err)
	}
	if err := os.WriteFile(path, ca.PEM, 0o644); err != nil {
		return "", fmt.Errorf("write ca file: %w", err)
	}
	s.ca = ca
	return path, nil
}

// caKeyFile is the name of the CA key file in the sandbox folder.
const caKeyFile = "ca-key.pem"

// startCAKey writes the sandbox CA's private key beside its certificate,
// readable by the owner only, and returns the file's absolute path. It runs
// once, through the "ca_key" slot: only a scenario that signs certificates
// with the sandbox CA (tls: { generate: { ca, ca_key } }) asks for it.
func (s *Sandbox) startCAKey() (string, error) {
	caPath, err := s.Address(context.Background(), caName)
	if err != nil {
		return "", err
	}
	keyPEM, err := certs.KeyPEM(s.ca.Key)
	if err != nil {
		return "", fmt.Errorf("ca key: %w", err)
	}
	path := filepath.Join(filepath.Dir(caPath), caKeyFile)
	if err := os.WriteFile(path, keyPEM, 0o600); err != nil {
		return "", fmt.Errorf("write ca key file: %w", err)
	}
	return path, nil
}

// startServerCert returns the start of the "cert" slot, or with key that
// of the "key" slot: it writes the certificate every TLS service presents
// (for localhost, 127.0.0.1, ::1 and the sandbox host, signed by the
// sandbox CA), or its key, readable by the owner only, beside the CA's
// file, for a program under test that serves TLS (CERT_FILE, KEY_FILE).
func (s *Sandbox) startServerCert(key bool) func() (string, error) {
	return func() (string, error) {
		cfg, err := s.serverTLS()
		if err != nil {
			return "", err
		}
		certPEM, keyPEM, err := certs.PEM(cfg.Certificates[0])
		if err != nil {
			return "", fmt.Errorf("server certificate: %w", err)
		}
		caPath, err := s.Address(context.Background(), caName)
		if err != nil {
			return "", err
		}
		name, data, mode := "cert.pem", certPEM, os.FileMode(0o644)
		if key {
			name, data, mode = "key.pem", keyPEM, 0o600
		}
		path := filepath.Join(filepath.Dir(caPath), name)
		if err := os.WriteFile(path, data, mode); err != nil {
			return "", fmt.Errorf("write %s: %w", name, err)
		}
		return path, nil
	}
}

// authority returns the sandbox CA, making it on first use.
func (s *Sandbox) authority() (*certs.CA, error) {
	// Not the caller's context: a start that fails is not retried, so it
	// must not fail because one caller gave up waiting.
	if _, err := s.Address(context.Background(), caName); err != nil {
		return nil, err
	}
	return s.ca, nil
}

// serverTLS returns the TLS configuration of every TLS service, made on
// first use: a certificate for localhost, 127.0.0.1, ::1 and the sandbox
// host, signed by the sandbox CA. Nothing changes it once made.
func (s *Sandbox) serverTLS() (*tls.Config, error) {
	s.tlsMu.Lock()
	defer s.tlsMu.Unlock()
	if s.tls != nil {
		return s.tls, nil
	}
	ca, err := s.authority()
	if err != nil {
		return nil, err
	}
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	if s.host != hosts[0] && s.host != hosts[1] && s.host != hosts[2] {
		hosts = append(hosts, s.host)
	}
	cert, err := ca.Sign(certs.Leaf{Hosts: hosts})
	if err != nil {
		return nil, fmt.Errorf("make server certificate: %w", err)
	}
	s.tls = &tls.Config{Certificates: []tls.Certificate{cert}}
	return s.tls, nil
}
