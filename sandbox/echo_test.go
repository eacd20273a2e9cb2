package sandbox

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// clientTLS returns a client TLS configuration that trusts only the CA file
// of s and verifies serverName.
func clientTLS(t *testing.T, s *Sandbox, serverName string) *tls.Config {
	t.Helper()
	pem, err := os.ReadFile(address(t, s, "ca"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("ca file holds no certificate")
	}
	return &tls.Config{RootCAs: pool, ServerName: serverName}
}

// dial connects to a service of s: plain TCP, UDP, or TLS verified against
// the sandbox CA for 127.0.0.1.
func dial(t *testing.T, s *Sandbox, service string) net.Conn {
	t.Helper()
	addr := address(t, s, service)
	var c net.Conn
	var err error
	switch service {
	case "echo-udp":
		c, err = net.Dial("udp", addr)
	case "echo-tls":
		c, err = tls.Dial("tcp", addr, clientTLS(t, s, "127.0.0.1"))
	default:
		c, err = net.Dial("tcp", addr)
	}
	if err != nil {
		t.Fatalf("dial %s: %v", service, err)
	}
	t.Cleanup(func() { c.Close() })
	// Not a timing assertion: only keeps a broken server from hanging the test.
	c.SetDeadline(time.Now().Add(30 * time.Second))
	return c
}

// roundTrip writes msg to c and reads back as many bytes.
func roundTrip(t *testing.T, c net.Conn, msg []byte) {
	t.Helper()
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(msg)
		werr <- err
	}()
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatalf("read: %v", err)
	}
	if err := <-werr; err != nil {
		t.Fatalf("write: %v", err)
	}
	if !bytes.Equal(got, msg) {
		t.Fatalf("echoed %q, want %q", trim(got), trim(msg))
	}
}

func trim(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}

func TestEchoStream(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef\x00\xff"), 20000)
	tests := []struct {
		service string
		msgs    [][]byte
	}{
		{"echo-tcp", [][]byte{[]byte("hello\r\n"), {0, 1, 2, 255}, big}},
		{"echo-tls", [][]byte{[]byte("hello\r\n"), {0, 1, 2, 255}, big}},
	}
	for _, tt := range tests {
		t.Run(tt.service, func(t *testing.T) {
			s := newSandbox(t, Options{})
			c := dial(t, s, tt.service)
			for _, m := range tt.msgs {
				roundTrip(t, c, m)
			}
			// A second connection is served independently.
			roundTrip(t, dial(t, s, tt.service), []byte("other"))
			roundTrip(t, c, []byte("again"))
		})
	}
}

func TestEchoHalfClose(t *testing.T) {
	s := newSandbox(t, Options{})
	c := dial(t, s, "echo-tcp").(*net.TCPConn)
	if _, err := c.Write([]byte("bye")); err != nil {
		t.Fatal(err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "bye" {
		t.Fatalf("read %q, %v; want everything echoed, then the server's close", got, err)
	}
}

func TestEchoUDP(t *testing.T) {
	s := newSandbox(t, Options{})
	tests := []struct {
		name string
		msg  []byte
	}{
		{"text", []byte("i love you")},
		{"binary", []byte{0, 1, 2, 255}},
		{"large", bytes.Repeat([]byte{'x'}, 1200)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, s, "echo-udp")
			if _, err := c.Write(tt.msg); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 64*1024)
			n, err := c.Read(buf)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf[:n], tt.msg) {
				t.Fatalf("echoed %q, want %q", trim(buf[:n]), trim(tt.msg))
			}
		})
	}
}

func TestTLSVerification(t *testing.T) {
	s := newSandbox(t, Options{})
	addr := address(t, s, "echo-tls")
	tests := []struct {
		serverName string
		wantErr    string
	}{
		{"127.0.0.1", ""},
		{"::1", ""},
		{"localhost", ""},
		{"example.com", "certificate is valid for localhost, not example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.serverName, func(t *testing.T) {
			c, err := tls.Dial("tcp", addr, clientTLS(t, s, tt.serverName))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			roundTrip(t, c, []byte("verified"))
		})
	}
	t.Run("untrusted", func(t *testing.T) {
		_, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: x509.NewCertPool(), ServerName: "127.0.0.1"})
		var unknown x509.UnknownAuthorityError
		if !errors.As(err, &unknown) {
			t.Fatalf("error %v, want an unknown authority", err)
		}
	})
}

func TestTLSHostInCertificate(t *testing.T) {
	s := newSandbox(t, Options{Host: "127.0.0.1"})
	cfg, err := s.serverTLS()
	if err != nil {
		t.Fatal(err)
	}
	leaf := cfg.Certificates[0].Leaf
	if len(leaf.DNSNames) != 1 || len(leaf.IPAddresses) != 2 {
		t.Fatalf("names %v %v, want localhost, 127.0.0.1 and ::1 once each", leaf.DNSNames, leaf.IPAddresses)
	}
	s2 := newSandbox(t, Options{Host: "sandbox.test"})
	if cfg, err = s2.serverTLS(); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Certificates[0].Leaf.VerifyHostname("sandbox.test"); err != nil {
		t.Fatalf("configured host not in certificate: %v", err)
	}
}

func TestIdleConnectionClosed(t *testing.T) {
	s := newSandbox(t, Options{})
	s.idle = 50 * time.Millisecond
	c := dial(t, s, "echo-tcp")
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("read on an idle connection: %v, want EOF", err)
	}
}
