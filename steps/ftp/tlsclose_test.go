package ftp_test

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// rawWatch is the TCP side of a TLS data connection on the server: it
// says whether the TCP connection ended (FIN) under TLS, so that a TLS
// read that gave io.EOF before it came from a close_notify alert.
type rawWatch struct {
	net.Conn
	mu  sync.Mutex
	eof bool
}

func (r *rawWatch) Read(p []byte) (int, error) {
	n, err := r.Conn.Read(p)
	if errors.Is(err, io.EOF) {
		r.mu.Lock()
		r.eof = true
		r.mu.Unlock()
	}
	return n, err
}

func (r *rawWatch) sawEOF() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.eof
}

// endsCleanly checks what came after the client's close_notify: the TCP
// half-close (FIN), not a reset. A client that closes its socket with
// bytes still unread in it (TLS 1.3 session tickets) resets it, and the
// kernel drops what it had not sent yet: the end of an upload.
func endsCleanly(raw *rawWatch) error {
	_, err := raw.Conn.Read(make([]byte, 1))
	if !errors.Is(err, io.EOF) {
		return fmt.Errorf("after its close_notify the client did not half-close the connection (FIN): %v", err)
	}
	return nil
}

// tlsReceive serves an upload over TLS as vsftpd does: after the first
// bytes it sends a record the client never asks for (as OpenSSL's session
// tickets come after the handshake), reads to the end, and wants the end
// to be a close_notify then a FIN; then it answers with its own
// close_notify and waits for the client to close.
func tlsReceive(cfg *tls.Config, got *[]byte) dataFunc {
	return func(c net.Conn) error {
		raw := &rawWatch{Conn: c}
		tc := tls.Server(raw, cfg)
		if err := tc.Handshake(); err != nil {
			return err
		}
		first := make([]byte, 1)
		n, err := io.ReadFull(tc, first)
		var b []byte
		if n == 1 {
			if _, err := tc.Write([]byte("ticket")); err != nil {
				return err
			}
			rest, rerr := io.ReadAll(tc)
			b, err = append(first, rest...), rerr
		}
		*got = b
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("after %d bytes: %w", len(b), err)
		}
		if raw.sawEOF() {
			return fmt.Errorf("the upload ended without a TLS close_notify, after %d bytes", len(b))
		}
		if err := endsCleanly(raw); err != nil {
			return err
		}
		return tc.Close()
	}
}

// tlsSend serves a download over TLS as vsftpd does: the data, its
// close_notify, then it waits for the client's close_notify.
func tlsSend(cfg *tls.Config, data string) dataFunc {
	return func(c net.Conn) error {
		raw := &rawWatch{Conn: c}
		tc := tls.Server(raw, cfg)
		if _, err := io.WriteString(tc, data); err != nil {
			return err
		}
		if err := tc.CloseWrite(); err != nil {
			return err
		}
		if _, err := io.Copy(io.Discard, tc); err != nil {
			return err
		}
		if raw.sawEOF() {
			return errors.New("the client closed the download without a TLS close_notify")
		}
		return nil
	}
}

// tlsLogin is the greeting and a login of alice over implicit TLS, as the
// library does it with TLS: PBSZ and PROT after TYPE.
func tlsLogin() steptest.Act {
	return steptest.Seq(loginAs("alice", "secret", feat),
		steptest.Dialogue("PBSZ 0", "200 PBSZ=0\r\n"),
		steptest.Dialogue("PROT P", "200 Protection level set to P\r\n"))
}

// TestTLSDataConnectionsEndWithCloseNotify uploads and downloads over TLS
// data connections to a server that checks how they end: an upload with
// close_notify and a FIN after reading what the server sent meanwhile,
// then waiting for the server's close; a download answered with
// close_notify.
func TestTLSDataConnectionsEndWithCloseNotify(t *testing.T) {
	dir := t.TempDir()
	cfg := steptest.ServerTLS(t, dir)
	big := bytes.Repeat([]byte("netrun FTPS close_notify \x00\xff\n"), (1<<20)/28+1)
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	var small, large, empty []byte
	addr := steptest.Serve(t, cfg, tlsLogin(),
		transfer("STOR small.txt", tlsReceive(cfg, &small), "226 Transfer complete\r\n"),
		transfer("STOR big.bin", tlsReceive(cfg, &large), "226 Transfer complete\r\n"),
		transfer("STOR empty.txt", tlsReceive(cfg, &empty), "226 Transfer complete\r\n"),
		transfer("RETR big.bin", tlsSend(cfg, string(big)), "226 Transfer complete\r\n"),
		quit(),
	)
	res := harness(t).Run(dir, `
name: close_notify
steps:
  - connect: ftps://ADDR
    tls: { ca: ca.pem }
    auth: { user: alice, password: secret }
  - send: { upload: { content: hello, to: small.txt } }
    assert: result.reply.code == 226
  - send: { upload: { file: big.bin } }
    assert: result.reply.code == 226 && result.size == SIZE
  - send: { upload: { content: '', to: empty.txt } }
    assert: result.reply.code == 226
  - fetch: big.bin
    assert: result.reply.code == 226 && result.size == SIZE && result.sha256 == "SUM"
  - close: true
`, "ADDR", addr, "SIZE", itoa(len(big)), "SUM", sum(string(big)))
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
	if string(small) != "hello" || !bytes.Equal(large, big) || len(empty) != 0 {
		t.Errorf("the server received %q, %d bytes of %d, %q", small, len(large), len(big), empty)
	}
}

// TestFTPSSizesWithTheSandbox uploads and downloads 1 KiB, 1 MiB and
// 16 MiB over explicit and implicit FTPS to the sandbox (ftpserverlib, a
// different TLS peer), into a file and into memory, several times over.
func TestFTPSSizesWithTheSandbox(t *testing.T) {
	if testing.Short() {
		t.Skip("moves 200 MiB")
	}
	sb := sandboxAddrs(t)
	dir := t.TempDir()
	var steps strings.Builder
	for i, n := range []int{1 << 10, 1 << 20, 16 << 20} {
		b := make([]byte, n)
		for j := range b {
			b[j] = byte(j*7 + j>>9)
		}
		name := fmt.Sprintf("f%d.bin", i)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&steps, `  - send: { upload: { file: %[1]s } }
    assert: result.reply.code == 226 && result.size == %[2]d && result.sha256 == "%[3]s"
  - fetch: { path: %[1]s, to: down-%[1]s }
    assert: result.reply.code == 226 && result.size == %[2]d && result.sha256 == "%[3]s"
  - fetch: %[1]s
    assert: result.reply.code == 226 && result.size == %[2]d && result.sha256 == "%[3]s"
  - send: { delete: %[1]s }
`, name, n, sum(string(b)))
	}
	for _, tc := range []struct{ name, url, mode string }{
		{"explicit", "ftp://" + sb.ftp, "starttls: true"},
		{"implicit", "ftps://" + sb.ftps, "tls_mode: implicit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := fmt.Sprintf("name: sizes\nsteps:\n  - connect: %s\n    %s\n    tls: { ca: %q }\n    auth: { user: alice, password: secret }\n%s  - close: true\n",
				tc.url, tc.mode, sb.ca, steps.String())
			for round := 1; round <= 3; round++ {
				res := harness(t).Run(dir, src)
				if res.Status != engine.Passed {
					for _, st := range res.Steps {
						if st.Failure != nil {
							t.Logf("%s: %s", st.Name, st.Failure.Message)
						}
					}
					t.Fatalf("round %d: %s", round, res.Status)
				}
			}
		})
	}
}

// TestUploadToAServerThatNeverCloses checks that an upload whose server
// keeps the data connection open after netrun's close_notify ends at the
// step's timeout, saying so.
func TestUploadToAServerThatNeverCloses(t *testing.T) {
	dir := t.TempDir()
	cfg := steptest.ServerTLS(t, dir)
	release := make(chan struct{})
	keep := func(c net.Conn) error {
		tc := tls.Server(c, cfg)
		if _, err := io.Copy(io.Discard, tc); err != nil {
			return err
		}
		<-release // never close while the scenario runs
		return nil
	}
	addr := steptest.Serve(t, cfg, tlsLogin(), transfer("STOR f", keep, "226 Too late\r\n"))
	t.Cleanup(func() { close(release) })
	res := harness(t).Run(dir, `
name: never closes
steps:
  - connect: ftps://ADDR
    tls: { ca: ca.pem }
    auth: { user: alice, password: secret }
  - send: { upload: { content: hello, to: f } }
    timeout: 500ms
`, "ADDR", addr)
	steptest.Failure(t, res, 2, "did not close the data connection after the upload (5 bytes sent")
}

// TestUploadStalls checks that an upload to a server that stops reading
// ends at the step's timeout, saying how much was sent.
func TestUploadStalls(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), make([]byte, 64<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	stall := func(net.Conn) error { <-release; return nil }
	addr := steptest.Serve(t, nil, login(), transfer("STOR big.bin", stall, "226 Too late\r\n"))
	t.Cleanup(func() { close(release) })
	res := harness(t).Run(dir, `
name: stalls
steps:
  - connect: ftp://ADDR
  - send: { upload: { file: big.bin } }
    timeout: 500ms
`, "ADDR", addr)
	steptest.Failure(t, res, 2, "the upload stalled: ", "sent, then the server read nothing more")
}
