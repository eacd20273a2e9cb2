package sandbox

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/textproto"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	jftp "github.com/jlaffaye/ftp"
)

// ftpDial logs in to the sandbox service name as user (with password),
// with TLS as the service and explicit ask for, and closes the session
// when the test ends.
func ftpDial(t *testing.T, s *Sandbox, name, user, password string, explicit bool) *jftp.ServerConn {
	t.Helper()
	opts := []jftp.DialOption{jftp.DialWithTimeout(5 * time.Second), jftp.DialWithShutTimeout(5 * time.Second)}
	if name == "ftps" || explicit {
		pem, err := os.ReadFile(address(t, s, "ca"))
		if err != nil {
			t.Fatal(err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		cfg := &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", ClientSessionCache: tls.NewLRUClientSessionCache(0)}
		if explicit {
			opts = append(opts, jftp.DialWithExplicitTLS(cfg))
		} else {
			opts = append(opts, jftp.DialWithTLS(cfg))
		}
	}
	c, err := jftp.Dial(address(t, s, name), opts...)
	if err != nil {
		t.Fatalf("dial %s: %v", name, err)
	}
	t.Cleanup(func() { _ = c.Quit() })
	if err := c.Login(user, password); err != nil {
		t.Fatalf("login %s as %s: %v", name, user, err)
	}
	return c
}

// retr downloads path.
func retr(t *testing.T, c *jftp.ServerConn, path string) []byte {
	t.Helper()
	r, err := c.Retr(path)
	if err != nil {
		t.Fatalf("RETR %s: %v", path, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("RETR %s: %v", path, err)
	}
	return b
}

// code returns the FTP reply code of err, or 0.
func code(err error) int {
	if te, ok := err.(*textproto.Error); ok {
		return te.Code
	}
	return 0
}

func TestFTPAnonymousReadOnly(t *testing.T) {
	s := newSandbox(t, Options{})
	for _, name := range []string{"ftp", "ftps"} {
		t.Run(name, func(t *testing.T) {
			c := ftpDial(t, s, name, "anonymous", "anonymous@", false)
			if err := c.ChangeDir("pub"); err != nil {
				t.Fatal(err)
			}
			if got := retr(t, c, "README"); string(got) != ftpReadme {
				t.Errorf("README = %q", got)
			}
			if got := retr(t, c, "/pub/bytes.bin"); !bytes.Equal(got, ftpBinary()) {
				t.Errorf("bytes.bin = %d bytes, want the 1024 byte values", len(got))
			}
			if got := retr(t, c, "lines.txt"); string(got) != ftpLines {
				t.Errorf("lines.txt = %q", got)
			}
			entries, err := c.List("/pub")
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range entries {
				names = append(names, e.Name)
			}
			sort.Strings(names)
			if strings.Join(names, ",") != "README,bytes.bin,lines.txt" {
				t.Errorf("LIST /pub = %v", names)
			}
			if err := c.Stor("new.txt", strings.NewReader("x")); code(err) != 550 {
				t.Errorf("anonymous STOR: %v, want a 550 refusal", err)
			}
			if err := c.Delete("README"); err == nil {
				t.Errorf("anonymous DELE README succeeded")
			}
			if err := c.MakeDir("/x"); err == nil {
				t.Errorf("anonymous MKD succeeded")
			}
		})
	}
}

func TestFTPUsersWriteTheirOwnTrees(t *testing.T) {
	s := newSandbox(t, Options{})
	alice := ftpDial(t, s, "ftp", "alice", "secret", true)
	if err := alice.MakeDir("/up"); err != nil {
		t.Fatal(err)
	}
	if err := alice.Stor("/up/a.txt", strings.NewReader("from alice")); err != nil {
		t.Fatal(err)
	}
	if err := alice.Rename("/up/a.txt", "/up/b.txt"); err != nil {
		t.Fatal(err)
	}
	// A new session of alice, over implicit TLS, sees the file; bob does
	// not, and alice's copy of the seed is hers to change.
	again := ftpDial(t, s, "ftps", "alice", "secret", false)
	if got := retr(t, again, "/up/b.txt"); string(got) != "from alice" {
		t.Errorf("b.txt = %q", got)
	}
	if got := retr(t, again, "/pub/README"); string(got) != ftpReadme {
		t.Errorf("alice's README = %q", got)
	}
	if err := again.Delete("/pub/README"); err != nil {
		t.Errorf("alice DELE /pub/README: %v", err)
	}
	bob := ftpDial(t, s, "ftp", "bob", "secret", false)
	if _, err := bob.Retr("/up/b.txt"); code(err) != 550 {
		t.Errorf("bob RETR alice's file: %v, want 550", err)
	}
	if got := retr(t, bob, "/pub/README"); string(got) != ftpReadme {
		t.Errorf("bob's README = %q", got)
	}
	if err := again.Delete("/up/b.txt"); err != nil {
		t.Fatal(err)
	}
	if err := again.RemoveDir("/up"); err != nil {
		t.Fatal(err)
	}
}

func TestFTPWrongPassword(t *testing.T) {
	s := newSandbox(t, Options{})
	c, err := jftp.Dial(address(t, s, "ftp"), jftp.DialWithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Quit()
	if err := c.Login("alice", "wrong"); code(err) != 530 {
		t.Errorf("wrong password: %v, want 530", err)
	}
}

func TestFTPPassiveListenerOnTheSandboxHost(t *testing.T) {
	s := newSandbox(t, Options{})
	orig, err := net.Listen("tcp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	l, err := (&ftpDriver{s: s}).WrapPassiveListener(orig)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if host, _, _ := net.SplitHostPort(l.Addr().String()); host != "127.0.0.1" {
		t.Errorf("passive listener on %s, want 127.0.0.1", l.Addr())
	}
	// The library's own listener, on every interface, is closed once the
	// data connection is awaited.
	go func() {
		if c, err := net.Dial("tcp", l.Addr().String()); err == nil {
			c.Close()
		}
	}()
	if c, err := l.Accept(); err == nil {
		c.Close()
	}
	if c, err := orig.Accept(); err == nil {
		c.Close()
		t.Errorf("the library's listener still accepts")
	}
}

// TestFTPLinesChangesInTextMode: /pub/lines.txt, the file of the teaching
// exercise ftp_download, is one that a text-mode download changes: ASCII,
// every line ending with CR LF, the last one with no line end.
func TestFTPLinesChangesInTextMode(t *testing.T) {
	if !strings.Contains(ftpLines, "\r\n") || strings.Count(ftpLines, "\n") != strings.Count(ftpLines, "\r\n") {
		t.Errorf("lines.txt must end every line with CR LF: %q", ftpLines)
	}
	if strings.HasSuffix(ftpLines, "\n") {
		t.Errorf("the last line of lines.txt must have no line end")
	}
	for i := 0; i < len(ftpLines); i++ {
		if ftpLines[i] >= 0x80 {
			t.Fatalf("lines.txt must be ASCII, byte %d is %#x", i, ftpLines[i])
		}
	}
}

func TestFTPReadmeMatchesRealServers(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "test", "realservers", "ftp-README"))
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != ftpReadme {
		t.Errorf("test/realservers/ftp-README differs from the sandbox's /pub/README: update one from the other")
	}
}

func TestFTPCloseInTheMiddleOfATransfer(t *testing.T) {
	base := runtime.NumGoroutine()
	s := New(Options{})
	c, err := jftp.Dial(address(t, s, "ftp"), jftp.DialWithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login("alice", "secret"); err != nil {
		t.Fatal(err)
	}
	// An upload whose data never ends: Close must not wait for it.
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write([]byte("the start of an upload"))
	}()
	done := make(chan error, 1)
	go func() { done <- c.Stor("/never.txt", pr) }()
	idle, err := net.Dial("tcp", address(t, s, "ftps"))
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	time.Sleep(50 * time.Millisecond) // not an assertion: lets the upload start
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	<-done
	_ = c.Quit()
	idle.Close()
	if _, err := s.Address(context.Background(), "ftp"); err == nil {
		t.Errorf("ftp started after Close")
	}
	waitGoroutines(t, base)
}
