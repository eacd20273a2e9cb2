package sandbox

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// talk is a line dialogue with a mail service.
type talk struct {
	t   *testing.T
	c   net.Conn
	r   *bufio.Reader
	tag int // last IMAP tag used
}

// dialMail connects to a mail service of s; the services whose names end
// in "s" are dialled in TLS verified against the sandbox CA.
func dialMail(t *testing.T, s *Sandbox, service string) *talk {
	t.Helper()
	addr := address(t, s, service)
	var c net.Conn
	var err error
	if strings.HasSuffix(service, "s") {
		c, err = tls.Dial("tcp", addr, clientTLS(t, s, "127.0.0.1"))
	} else {
		c, err = net.Dial("tcp", addr)
	}
	if err != nil {
		t.Fatalf("dial %s: %v", service, err)
	}
	t.Cleanup(func() { c.Close() })
	tk := &talk{t: t}
	tk.use(c)
	return tk
}

// use makes c the connection of the dialogue.
func (tk *talk) use(c net.Conn) {
	// Not a timing assertion: only keeps a broken server from hanging the test.
	c.SetDeadline(time.Now().Add(30 * time.Second))
	tk.c = c
	tk.r = bufio.NewReader(c)
}

// startTLS continues the dialogue in TLS, verified against the sandbox CA.
func (tk *talk) startTLS(s *Sandbox) {
	tk.t.Helper()
	tc := tls.Client(tk.c, clientTLS(tk.t, s, "127.0.0.1"))
	if err := tc.Handshake(); err != nil {
		tk.t.Fatalf("TLS handshake: %v", err)
	}
	tk.t.Cleanup(func() { tc.Close() })
	tk.use(tc)
}

// send writes one line and CRLF.
func (tk *talk) send(line string) {
	tk.t.Helper()
	if _, err := io.WriteString(tk.c, line+"\r\n"); err != nil {
		tk.t.Fatalf("send %q: %v", line, err)
	}
}

// line reads one line without its CRLF.
func (tk *talk) line() string {
	tk.t.Helper()
	l, err := tk.r.ReadString('\n')
	if err != nil {
		tk.t.Fatalf("read: %v (after %q)", err, l)
	}
	return strings.TrimRight(l, "\r\n")
}

// expect reads one line and fails unless it starts with prefix.
func (tk *talk) expect(prefix string) string {
	tk.t.Helper()
	l := tk.line()
	if !strings.HasPrefix(l, prefix) {
		tk.t.Fatalf("got %q, want a line starting with %q", l, prefix)
	}
	return l
}

// closed fails unless the server has closed the connection, once any lines
// still on the way are read.
func (tk *talk) closed() {
	tk.t.Helper()
	for {
		_, err := tk.r.ReadString('\n')
		if errors.Is(err, os.ErrDeadlineExceeded) {
			tk.t.Fatal("connection still open")
		}
		if err != nil {
			return
		}
	}
}

// smtp reads an SMTP reply and returns its code and the text of its lines.
func (tk *talk) smtp() (int, []string) {
	tk.t.Helper()
	var lines []string
	for {
		l := tk.line()
		if len(l) < 4 {
			tk.t.Fatalf("bad SMTP reply line %q", l)
		}
		code, err := strconv.Atoi(l[:3])
		if err != nil {
			tk.t.Fatalf("bad SMTP reply line %q", l)
		}
		lines = append(lines, l[4:])
		if l[3] == ' ' {
			return code, lines
		}
	}
}

// smtpCmd sends an SMTP command and fails unless the reply has code want;
// it returns the reply's lines.
func (tk *talk) smtpCmd(cmd string, want int) []string {
	tk.t.Helper()
	tk.send(cmd)
	code, lines := tk.smtp()
	if code != want {
		tk.t.Fatalf("%s: %d %q, want %d", cmd, code, lines, want)
	}
	return lines
}

// multi reads the lines of a POP3 multi-line body, unstuffed, up to the
// terminating dot.
func (tk *talk) multi() []string {
	tk.t.Helper()
	var lines []string
	for {
		l := tk.line()
		if l == "." {
			return lines
		}
		lines = append(lines, strings.TrimPrefix(l, "."))
	}
}

// imap sends an IMAP command with a new tag and returns the untagged
// responses, literals inlined, and the tagged status line without the tag.
func (tk *talk) imap(cmd string) (untagged []string, status string) {
	tk.t.Helper()
	tk.tag++
	tag := fmt.Sprintf("t%d", tk.tag)
	tk.send(tag + " " + cmd)
	for {
		l := tk.imapLine()
		if rest, ok := strings.CutPrefix(l, tag+" "); ok {
			return untagged, rest
		}
		untagged = append(untagged, l)
	}
}

// imapOK is imap that fails unless the status is OK.
func (tk *talk) imapOK(cmd string) []string {
	tk.t.Helper()
	untagged, status := tk.imap(cmd)
	if !strings.HasPrefix(status, "OK") {
		tk.t.Fatalf("%s: %s (%q)", cmd, status, untagged)
	}
	return untagged
}

// imapLine reads a response line, with each literal ("{n}" at a line's end)
// read and put in its place.
func (tk *talk) imapLine() string {
	tk.t.Helper()
	l := tk.line()
	for strings.HasSuffix(l, "}") {
		i := strings.LastIndexByte(l, '{')
		n, err := strconv.Atoi(strings.TrimSuffix(l[i+1:len(l)-1], "+"))
		if i < 0 || err != nil {
			return l
		}
		lit := make([]byte, n)
		if _, err := io.ReadFull(tk.r, lit); err != nil {
			tk.t.Fatalf("read literal: %v", err)
		}
		l = l[:i] + string(lit) + tk.line()
	}
	return l
}
