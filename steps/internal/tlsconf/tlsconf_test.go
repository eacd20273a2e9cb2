package tlsconf

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/internal/certs"
	"github.com/netrunhq/netrun/internal/steptest"
)

// outcome is what both ends of a handshake saw.
type outcome struct {
	client, server error
	state          tls.ConnectionState
	serverName     string // the SNI the server received
}

// shake runs a handshake over loopback TCP, then one client read so that
// a TLS 1.3 server's refusal of the client certificate shows.
func shake(t *testing.T, serverCfg, clientCfg *tls.Config) outcome {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	serverCfg = serverCfg.Clone()
	sni := make(chan string, 1)
	serverCfg.GetConfigForClient = func(h *tls.ClientHelloInfo) (*tls.Config, error) {
		sni <- h.ServerName
		return nil, nil
	}
	done := make(chan error, 1)
	go func() {
		sc, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		_ = sc.SetDeadline(time.Now().Add(10 * time.Second))
		s := tls.Server(sc, serverCfg)
		err = s.Handshake()
		if err == nil {
			_, err = s.Write([]byte("hi"))
		}
		s.Close()
		done <- err
	}()
	cc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	_ = cc.SetDeadline(time.Now().Add(10 * time.Second))
	c := tls.Client(cc, clientCfg)
	var o outcome
	o.client = c.Handshake()
	if o.client == nil {
		_, o.client = io.ReadFull(c, make([]byte, 2))
		o.client = ClassifyAlert(o.client)
		o.state = c.ConnectionState()
	}
	c.Close()
	o.server = <-done
	select {
	case o.serverName = <-sni:
	default:
	}
	return o
}

func TestClientTrustsTheCA(t *testing.T) {
	p := steptest.NewPKI(t, "")
	ca, caFile := p.CA("ca")
	leaf, _, _ := p.Pair(ca, "srv", certs.Leaf{Hosts: []string{"localhost", "127.0.0.1"}})
	cfg, err := settings{ca: caFile}.client("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ClientSessionCache == nil {
		t.Error("no session cache: FTP data connections could not resume")
	}
	o := shake(t, &tls.Config{Certificates: []tls.Certificate{leaf}}, cfg)
	if o.client != nil || o.server != nil {
		t.Fatalf("client %v, server %v", o.client, o.server)
	}
	if o.serverName != "" {
		t.Errorf("sent SNI %q for an IP address", o.serverName)
	}
	info := Facts(o.state)
	sum := sha256.Sum256(leaf.Leaf.Raw)
	if info.Version != "1.3" || !strings.HasPrefix(info.Cipher, "TLS_") ||
		info.Cert.Subject != "CN=localhost" || info.Cert.Issuer != "CN=ca,O=netrun" ||
		strings.Join(info.Cert.SANs, " ") != "localhost 127.0.0.1" ||
		info.Cert.SHA256 != hex.EncodeToString(sum[:]) || !info.Cert.NotAfter.Equal(leaf.Leaf.NotAfter) {
		t.Errorf("facts %+v", info)
	}
	if d := info.Cert.DaysLeft; d < 364 || d > 365 {
		t.Errorf("days_left %d, want 364 or 365 for a one-year certificate", d)
	}
}

func TestDaysLeft(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		notAfter time.Time
		want     int
	}{
		{now.Add(10 * time.Hour), 0},
		{now.Add(30 * 24 * time.Hour), 30},
		{now.Add(-time.Hour), -1},
		{now.Add(-48 * time.Hour), -2},
	} {
		if got := daysLeft(tt.notAfter, now); got != tt.want {
			t.Errorf("daysLeft(%s) = %d, want %d", tt.notAfter.Sub(now), got, tt.want)
		}
	}
}

func TestClientFailures(t *testing.T) {
	p := steptest.NewPKI(t, "")
	ca, caFile := p.CA("ca")
	other, _ := p.CA("other")
	good, _, _ := p.Pair(ca, "good", certs.Leaf{Hosts: []string{"localhost"}})
	foreign, _, _ := p.Pair(other, "foreign", certs.Leaf{Hosts: []string{"localhost"}})
	expired, _, _ := p.Pair(ca, "expired", certs.Leaf{Hosts: []string{"localhost"},
		NotBefore: time.Now().AddDate(-2, 0, 0), NotAfter: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)})
	future, _, _ := p.Pair(ca, "future", certs.Leaf{Hosts: []string{"localhost"},
		NotBefore: time.Now().AddDate(1, 0, 0), NotAfter: time.Now().AddDate(2, 0, 0)})
	tests := []struct {
		name   string
		leaf   tls.Certificate
		st     settings
		host   string
		want   string
		target any // an error type errors.As must still find
	}{
		{"unknown authority", foreign, settings{ca: caFile}, "localhost",
			`tls: certificate signed by unknown authority (issuer "CN=other,O=netrun")`, &x509.UnknownAuthorityError{}},
		{"not in system roots", good, settings{}, "localhost", "certificate signed by unknown authority", &x509.UnknownAuthorityError{}},
		{"expired", expired, settings{ca: caFile}, "localhost",
			"tls: certificate expired (not after 2024-03-01T00:00:00Z)", &x509.CertificateInvalidError{}},
		{"not yet valid", future, settings{ca: caFile}, "localhost", "tls: certificate not yet valid (not before ", &x509.CertificateInvalidError{}},
		{"hostname", good, settings{ca: caFile}, "mail.example.test",
			"tls: hostname mismatch: certificate is valid for localhost, not mail.example.test", &x509.HostnameError{}},
		{"ip", good, settings{ca: caFile}, "127.0.0.1",
			"tls: hostname mismatch: certificate is valid for localhost, not 127.0.0.1", &x509.HostnameError{}},
		{"sni overrides the host", good, settings{ca: caFile, sni: "other.test"}, "localhost",
			"not other.test", &x509.HostnameError{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := tt.st.client(tt.host)
			if err != nil {
				t.Fatal(err)
			}
			o := shake(t, &tls.Config{Certificates: []tls.Certificate{tt.leaf}}, cfg)
			err = Classify(o.client)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			var te *Error
			if !errors.As(err, &te) || !errors.As(err, tt.target) {
				t.Errorf("%v does not wrap %T", err, tt.target)
			}
			if se := Classify(o.server); se == nil || !strings.Contains(se.Error(), "the peer") {
				t.Errorf("server side: %v", se)
			}
		})
	}
}

func TestClientInsecureAndSNI(t *testing.T) {
	p := steptest.NewPKI(t, "")
	other, _ := p.CA("other")
	leaf, _, _ := p.Pair(other, "svc", certs.Leaf{Hosts: []string{"svc.test"}})
	cfg, err := settings{insecure: true}.client("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	o := shake(t, &tls.Config{Certificates: []tls.Certificate{leaf}}, cfg)
	if o.client != nil {
		t.Fatalf("insecure: %v", o.client)
	}
	if info := Facts(o.state); info.Cert.Subject != "CN=svc.test" {
		t.Errorf("insecure facts: %+v", info)
	}

	_, caFile := p.CA("unused")
	_ = caFile
	cfg, err = settings{insecure: true, sni: "svc.test"}.client("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if o := shake(t, &tls.Config{Certificates: []tls.Certificate{leaf}}, cfg); o.serverName != "svc.test" {
		t.Errorf("server saw SNI %q, want svc.test", o.serverName)
	}
	cfg, err = settings{insecure: true}.client("svc.test")
	if err != nil {
		t.Fatal(err)
	}
	if o := shake(t, &tls.Config{Certificates: []tls.Certificate{leaf}}, cfg); o.serverName != "svc.test" {
		t.Errorf("server saw SNI %q, want the host", o.serverName)
	}
}

func TestMutualTLS(t *testing.T) {
	p := steptest.NewPKI(t, "")
	ca, caFile := p.CA("ca")
	_, srvCert, srvKey := p.Pair(ca, "srv", certs.Leaf{Hosts: []string{"localhost"}})
	_, cliCert, cliKey := p.Pair(ca, "cli", certs.Leaf{Hosts: []string{"alice"}, Client: true})
	serverCfg, err := settings{cert: srvCert, key: srvKey, ca: caFile}.server()
	if err != nil {
		t.Fatal(err)
	}
	if serverCfg.ClientAuth != tls.RequireAndVerifyClientCert {
		t.Errorf("client auth %v", serverCfg.ClientAuth)
	}
	withCert, err := settings{ca: caFile, cert: cliCert, key: cliKey}.client("localhost")
	if err != nil {
		t.Fatal(err)
	}
	if o := shake(t, serverCfg, withCert); o.client != nil || o.server != nil {
		t.Fatalf("with a client certificate: client %v, server %v", o.client, o.server)
	}
	without, err := settings{ca: caFile}.client("localhost")
	if err != nil {
		t.Fatal(err)
	}
	o := shake(t, serverCfg, without)
	if o.client == nil || !strings.Contains(o.client.Error(), "the server requires a client certificate") {
		t.Errorf("client without a certificate: %v", o.client)
	}
	if err := Classify(o.server); err == nil || !strings.Contains(err.Error(), "the client sent no certificate") {
		t.Errorf("server: %v", err)
	}
}

func TestMinVersion(t *testing.T) {
	p := steptest.NewPKI(t, "")
	ca, caFile := p.CA("ca")
	leaf, _, _ := p.Pair(ca, "srv", certs.Leaf{Hosts: []string{"localhost"}})
	old := &tls.Config{Certificates: []tls.Certificate{leaf}, MaxVersion: tls.VersionTLS12}
	v13, _ := ParseVersion("1.3")
	cfg, err := settings{ca: caFile, minVersion: v13}.client("localhost")
	if err != nil {
		t.Fatal(err)
	}
	o := shake(t, old, cfg)
	if err := Classify(o.client); err == nil || !strings.Contains(err.Error(), "does not support the TLS version we offer") {
		t.Errorf("1.3 against a 1.2 server: %v", err)
	}
	cfg, _ = settings{ca: caFile}.client("localhost")
	if o := shake(t, old, cfg); o.client != nil || Facts(o.state).Version != "1.2" {
		t.Errorf("1.2: %v, %+v", o.client, Facts(o.state))
	}
	for in, want := range map[string]uint16{"1.0": tls.VersionTLS10, "1.1": tls.VersionTLS11, " 1.2": tls.VersionTLS12, "1.3": tls.VersionTLS13} {
		if got, err := ParseVersion(in); err != nil || got != want {
			t.Errorf("ParseVersion(%q) = %x, %v", in, got, err)
		}
	}
	for _, in := range []string{"1.4", "TLS1.2", "", "1"} {
		if _, err := ParseVersion(in); err == nil {
			t.Errorf("ParseVersion(%q) accepted", in)
		}
	}
}

func TestNotTLS(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		sc, err := ln.Accept()
		if err != nil {
			return
		}
		defer sc.Close()
		_, _ = sc.Write([]byte("220 plain text here\r\n"))
		_, _ = io.Copy(io.Discard, sc)
	}()
	cc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	err = Classify(tls.Client(cc, &tls.Config{ServerName: "x"}).Handshake())
	if err == nil || !strings.Contains(err.Error(), "did not answer with TLS") {
		t.Errorf("plain server: %v", err)
	}
}

func TestClassifyLeavesOthers(t *testing.T) {
	if Classify(nil) != nil {
		t.Error("nil classified")
	}
	for _, err := range []error{os.ErrDeadlineExceeded, errors.New("something else")} {
		if got := Classify(err); got != err {
			t.Errorf("Classify(%v) = %v", err, got)
		}
	}
	once := Classify(errors.Join(errors.New("x"), x509.UnknownAuthorityError{}))
	if twice := Classify(once); twice != once {
		t.Errorf("classified twice: %v", twice)
	}
	if got := ClassifyAlert(os.ErrDeadlineExceeded); got != os.ErrDeadlineExceeded {
		t.Errorf("ClassifyAlert changed %v", got)
	}
}

func TestFileErrors(t *testing.T) {
	p := steptest.NewPKI(t, "")
	junk := p.Write("junk.pem", []byte("not a certificate"))
	if _, err := (settings{ca: junk}).client("h"); err == nil || !strings.Contains(err.Error(), "holds no PEM certificate") {
		t.Errorf("junk ca: %v", err)
	}
	missing := filepath.Join(p.Dir, "missing.pem")
	if _, err := (settings{ca: missing}).client("h"); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing ca: %v", err)
	}
	if _, err := (settings{cert: junk, key: junk}).client("h"); err == nil || !strings.Contains(err.Error(), "tls cert") {
		t.Errorf("junk cert: %v", err)
	}
	if _, err := (settings{}).server(); err == nil {
		t.Error("a server without a certificate")
	}
}
