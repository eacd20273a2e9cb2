package sandbox

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netrunhq/netrun/internal/certs"
)

// newSandbox returns a sandbox on 127.0.0.1 with ephemeral ports, closed at
// the end of the test.
func newSandbox(t *testing.T, opts Options) *Sandbox {
	t.Helper()
	s := New(opts)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// address is Address that fails the test on error.
func address(t *testing.T, s *Sandbox, name string) string {
	t.Helper()
	addr, err := s.Address(context.Background(), name)
	if err != nil {
		t.Fatalf("Address(%q): %v", name, err)
	}
	return addr
}

// waitGoroutines waits until no more than base goroutines run, and fails the
// test with every goroutine's stack if that does not happen within a while.
func waitGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Fatalf("%d goroutines left, want at most %d:\n%s", runtime.NumGoroutine(), base, buf[:n])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestServicesOrder(t *testing.T) {
	s := newSandbox(t, Options{})
	got := strings.Join(s.Services(), " ")
	// Services are only ever appended, so that existing ones keep their
	// ports: the first ones stay in their order, whatever came after.
	if want := "echo-tcp echo-udp echo-tls smtp smtps imap imaps pop3 pop3s "; !strings.HasPrefix(got, want) {
		t.Fatalf("Services() = %q, want it to start with %q", got, want)
	}
	s.Services()[0] = "changed"
	if s.Services()[0] != "echo-tcp" {
		t.Fatal("Services() returned the sandbox's own slice")
	}
}

func TestDefaults(t *testing.T) {
	tests := []struct {
		name      string
		opts      Options
		wantHost  string
		wantUsers string
	}{
		{"zero", Options{}, "127.0.0.1", "alice=secret bob=secret"},
		{"empty users", Options{Users: map[string]string{}}, "127.0.0.1", "alice=secret bob=secret"},
		{"given", Options{Host: "::1", Users: map[string]string{"carol": "pw"}}, "::1", "carol=pw"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSandbox(t, tt.opts)
			var users []string
			for _, u := range []string{"alice", "bob", "carol"} {
				if pw, ok := s.users[u]; ok {
					users = append(users, u+"="+pw)
				}
			}
			if s.host != tt.wantHost || strings.Join(users, " ") != tt.wantUsers {
				t.Fatalf("host %q users %q, want %q %q", s.host, users, tt.wantHost, tt.wantUsers)
			}
		})
	}
}

func TestAddressErrors(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		service string
		want    string
		is      error
	}{
		{"unknown", context.Background(), "smtp-nope", `unknown sandbox service "smtp-nope" (known: ca, ca_key, cert, key, echo-tcp, echo-udp, echo-tls, smtp, smtps, imap, imaps, pop3, pop3s, `, nil},
		{"empty", context.Background(), "", `unknown sandbox service ""`, nil},
		{"cancelled", cancelled, "echo-tcp", "sandbox echo-tcp: context canceled", context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSandbox(t, Options{})
			_, err := s.Address(tt.ctx, tt.service)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("error %v is not %v", err, tt.is)
			}
		})
	}
}

func TestAddressStartsOnce(t *testing.T) {
	s := newSandbox(t, Options{})
	names := append([]string{"ca"}, s.Services()...)
	const callers = 16
	got := make(map[string][]string)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range callers {
		for _, name := range names {
			wg.Go(func() {
				addr, err := s.Address(context.Background(), name)
				if err != nil {
					t.Errorf("Address(%q): %v", name, err)
					return
				}
				mu.Lock()
				got[name] = append(got[name], addr)
				mu.Unlock()
			})
		}
	}
	wg.Wait()
	for _, name := range names {
		if len(got[name]) != callers {
			t.Fatalf("%s: %d answers, want %d", name, len(got[name]), callers)
		}
		for _, a := range got[name] {
			if a != got[name][0] {
				t.Fatalf("%s: addresses differ: %q", name, got[name])
			}
		}
	}
	s.mu.Lock()
	listeners := len(s.open)
	s.mu.Unlock()
	if listeners != len(s.Services()) {
		t.Fatalf("%d listeners open, want %d", listeners, len(s.Services()))
	}
	pem, err := os.ReadFile(got["ca"][0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pem, s.ca.PEM) {
		t.Fatal("ca file does not hold the sandbox CA")
	}
}

func TestCAFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "made", "here")
	tests := []struct {
		name     string
		opts     Options
		wantPath string
		kept     bool
	}{
		{"temporary", Options{}, "", false},
		{"given dir", Options{Dir: dir}, filepath.Join(dir, "ca.pem"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(tt.opts)
			path := address(t, s, "ca")
			if !filepath.IsAbs(path) || (tt.wantPath != "" && path != tt.wantPath) {
				t.Fatalf("ca path %q, want an absolute path like %q", path, tt.wantPath)
			}
			if _, err := os.Stat(path); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			_, err := os.Stat(path)
			if kept := err == nil; kept != tt.kept {
				t.Fatalf("after Close: file kept %v (%v), want %v", kept, err, tt.kept)
			}
			if !tt.kept {
				if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, os.ErrNotExist) {
					t.Fatalf("temporary folder not removed: %v", err)
				}
			}
		})
	}
}

// freeBase returns a port p such that p, ..., p+n-1 are free for TCP and UDP
// on 127.0.0.1 when it returns.
func freeBase(t *testing.T, n int) int {
	t.Helper()
	for range 100 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		base := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		if base+n <= 65535 && rangeFree(base, n) {
			return base
		}
	}
	t.Fatal("no free port range found")
	return 0
}

// rangeFree reports whether ports base..base+n-1 can all be bound.
func rangeFree(base, n int) bool {
	var held []interface{ Close() error }
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for p := base; p < base+n; p++ {
		addr := fmt.Sprintf("127.0.0.1:%d", p)
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return false
		}
		held = append(held, ln)
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			return false
		}
		held = append(held, pc)
	}
	return true
}

func TestPortBase(t *testing.T) {
	var (
		s    *Sandbox
		base int
		got  = map[string]string{}
	)
	// Another process may take a port between probing and starting: retry.
	for attempt := 0; ; attempt++ {
		base = freeBase(t, len(catalog()))
		s = New(Options{PortBase: base})
		err := s.StartAll(context.Background(), func(name, addr string) { got[name] = addr })
		if err == nil {
			break
		}
		s.Close()
		if attempt == 4 {
			t.Fatalf("StartAll: %v", err)
		}
	}
	t.Cleanup(func() { s.Close() })
	for i, name := range s.Services() {
		want := fmt.Sprintf("127.0.0.1:%d", base+i)
		if got[name] != want {
			t.Errorf("%s at %q, want %q", name, got[name], want)
		}
	}
}

func TestPortBaseOutOfRange(t *testing.T) {
	s := newSandbox(t, Options{PortBase: -10})
	_, err := s.Address(context.Background(), "echo-udp")
	if err == nil || !strings.Contains(err.Error(), "port -9 out of range") {
		t.Fatalf("error %v, want port out of range", err)
	}
	// A failed start is not retried.
	if _, err2 := s.Address(context.Background(), "echo-udp"); err2 == nil || err2.Error() != err.Error() {
		t.Fatalf("second error %v, want %v", err2, err)
	}
}

func TestStartAll(t *testing.T) {
	s := newSandbox(t, Options{})
	var names []string
	err := s.StartAll(context.Background(), func(name, addr string) {
		names = append(names, name)
		if a := address(t, s, name); a != addr {
			t.Errorf("%s: StartAll gave %q, Address %q", name, addr, a)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(names, " "), strings.Join(s.Services(), " "); got != want {
		t.Fatalf("called back for %q, want %q", got, want)
	}
	if err := s.StartAll(context.Background(), nil); err != nil {
		t.Fatalf("StartAll again: %v", err)
	}
}

// TestCAKeyFile checks that "ca_key" is the private key of the CA of "ca",
// readable by its owner only: a certificate it signs verifies against ca.pem.
func TestCAKeyFile(t *testing.T) {
	s := New(Options{})
	t.Cleanup(func() { _ = s.Close() })
	caPath, keyPath := address(t, s, "ca"), address(t, s, "ca_key")
	fi, err := os.Stat(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("ca key file mode %v, want 0600", perm)
	}
	pair, err := tls.LoadX509KeyPair(caPath, keyPath)
	if err != nil {
		t.Fatalf("ca and ca_key are not a pair: %v", err)
	}
	ca, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	key, ok := pair.PrivateKey.(*ecdsa.PrivateKey)
	if !ok {
		t.Fatalf("ca key is a %T, want an ECDSA key", pair.PrivateKey)
	}
	leaf, err := (&certs.CA{Cert: ca, Key: key}).Sign(certs.Leaf{Hosts: []string{"x.netrun.test"}})
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(leaf.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	pem, err := os.ReadFile(caPath)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, DNSName: "x.netrun.test"}); err != nil {
		t.Errorf("a certificate signed with ca_key does not verify against ca: %v", err)
	}
}

// TestServerCertFiles checks "cert" and "key": a pair, the key readable by
// its owner only, and the certificate the TLS services present, valid for
// localhost and 127.0.0.1 under the sandbox CA.
func TestServerCertFiles(t *testing.T) {
	s := New(Options{})
	t.Cleanup(func() { _ = s.Close() })
	caPath, certPath, keyPath := address(t, s, "ca"), address(t, s, "cert"), address(t, s, "key")
	if fi, err := os.Stat(keyPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v, want 0600", err, fi.Mode().Perm())
	}
	pair, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		t.Fatalf("cert and key are not a pair: %v", err)
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	caPEM, err := os.ReadFile(caPath)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(caPEM)
	for _, name := range []string{"localhost", "127.0.0.1"} {
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: name}); err != nil {
			t.Errorf("cert for %s: %v", name, err)
		}
	}
	// The same certificate as the services present.
	cfg, err := s.serverTLS()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(cfg.Certificates[0].Certificate[0], pair.Certificate[0]) {
		t.Error("the cert file is not the certificate the TLS services present")
	}
}
