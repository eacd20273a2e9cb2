package sandbox

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func TestCloseStopsEverything(t *testing.T) {
	base := runtime.NumGoroutine()
	s := New(Options{})
	if err := s.StartAll(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	caPath := address(t, s, "ca")
	addrs := map[string]string{}
	for _, name := range s.Services() {
		addrs[name] = address(t, s, name)
	}
	// Open connections, one of them in the middle of a TLS handshake, and
	// one in the middle of a session: Close must not wait for their clients.
	tcp := dial(t, s, "echo-tcp")
	roundTrip(t, tcp, []byte("open"))
	tlsc := dial(t, s, "echo-tls")
	roundTrip(t, tlsc, []byte("open"))
	handshaking, err := net.Dial("tcp", addrs["echo-tls"])
	if err != nil {
		t.Fatal(err)
	}
	defer handshaking.Close()
	// The mail services too: in a session, idling, in a handshake.
	var mail []net.Conn
	smtp := dialMail(t, s, "smtp")
	smtpHello(smtp)
	smtps := dialMail(t, s, "smtps")
	smtpHello(smtps)
	imap := dialMail(t, s, "imap")
	imapLogin(imap)
	imap.imapOK("SELECT INBOX")
	imap.send("t9 IDLE")
	imap.expect("+ ")
	imaps := dialMail(t, s, "imaps")
	imaps.expect("* OK")
	pop3 := dialMail(t, s, "pop3")
	pop3Login(pop3)
	pop3s := dialMail(t, s, "pop3s")
	pop3s.expect("+OK")
	for _, tk := range []*talk{smtp, smtps, imap, imaps, pop3, pop3s} {
		mail = append(mail, tk.c)
	}
	for _, name := range []string{"smtps", "imaps", "pop3s"} {
		c, err := net.Dial("tcp", addrs[name])
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		mail = append(mail, c)
	}

	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	for _, c := range append([]net.Conn{tcp, tlsc, handshaking}, mail...) {
		if n, err := c.Read(make([]byte, 1)); err == nil {
			t.Errorf("%s: read %d bytes after Close", c.RemoteAddr(), n)
		}
	}
	for _, name := range []string{"echo-tcp", "echo-tls", "smtp", "smtps", "imap", "imaps", "pop3", "pop3s"} {
		if c, err := net.Dial("tcp", addrs[name]); err == nil {
			c.Close()
			t.Errorf("%s: dial succeeded after Close", name)
		}
	}
	u, err := net.Dial("udp", addrs["echo-udp"])
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	u.Write([]byte("anyone?"))
	// Not a timing assertion: an answer would come at once; nothing must.
	u.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if n, err := u.Read(make([]byte, 16)); err == nil {
		t.Errorf("echo-udp answered %d bytes after Close", n)
	}
	if _, err := os.Stat(filepath.Dir(caPath)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temporary folder left: %v", err)
	}
	for _, name := range append([]string{"ca"}, s.Services()...) {
		if _, err := s.Address(context.Background(), name); !errors.Is(err, errClosed) {
			t.Errorf("Address(%q) after Close: %v, want %v", name, err, errClosed)
		}
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	tcp.Close()
	tlsc.Close()
	handshaking.Close()
	u.Close()
	for _, c := range mail {
		c.Close()
	}
	waitGoroutines(t, base)
}

func TestCloseUnused(t *testing.T) {
	base := runtime.NumGoroutine()
	s := New(Options{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s.tempDir != "" {
		t.Fatalf("unused sandbox made a folder %s", s.tempDir)
	}
	waitGoroutines(t, base)
}

func TestCloseWhileStarting(t *testing.T) {
	base := runtime.NumGoroutine()
	s := New(Options{})
	errs := make(chan error, len(s.Services()))
	for _, name := range s.Services() {
		go func() {
			_, err := s.Address(context.Background(), name)
			errs <- err
		}()
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for range s.Services() {
		// Either started before Close or refused; both are fine, a hang is not.
		if err := <-errs; err != nil && !errors.Is(err, errClosed) {
			t.Errorf("Address during Close: %v", err)
		}
	}
	s.mu.Lock()
	open, dir := len(s.open), s.tempDir
	s.mu.Unlock()
	if open != 0 {
		t.Errorf("%d listeners or connections open after Close", open)
	}
	if dir != "" {
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("temporary folder left: %v", err)
		}
	}
	waitGoroutines(t, base)
}

func TestTLSCloseNotify(t *testing.T) {
	// A client that closes cleanly gets the server's close_notify: the
	// handler closes the TLS connection, not only the socket.
	s := newSandbox(t, Options{})
	c, err := tls.Dial("tcp", address(t, s, "echo-tls"), clientTLS(t, s, "localhost"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	roundTrip(t, c, []byte("x"))
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil || err.Error() != "EOF" {
		t.Fatalf("read after CloseWrite: %d, %v; want a clean EOF", n, err)
	}
}
