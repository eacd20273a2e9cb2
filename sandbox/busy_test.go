package sandbox

import (
	"bufio"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// greet connects to a service and reads its first line: the greeting, or
// the refusal of a connection over the limit. HTTP services have no
// greeting: a request is sent first.
func greet(t *testing.T, s *Sandbox, service string) (net.Conn, string) {
	t.Helper()
	c, line, err := tryGreet(t, s, service)
	if err != nil {
		t.Fatalf("%s: %v", service, err)
	}
	return c, line
}

// tryGreet is greet that returns an error of the dial, write or read.
func tryGreet(t *testing.T, s *Sandbox, service string) (net.Conn, string, error) {
	t.Helper()
	addr := address(t, s, service)
	var c net.Conn
	var err error
	switch service {
	case "smtps", "imaps", "pop3s", "nntps", "ftps", "https", "wss", "echo-tls":
		c, err = tls.Dial("tcp", addr, clientTLS(t, s, "127.0.0.1"))
	default:
		c, err = net.Dial("tcp", addr)
	}
	if err != nil {
		return nil, "", err
	}
	t.Cleanup(func() { c.Close() })
	// Not a timing assertion: only keeps a broken server from hanging the test.
	c.SetDeadline(time.Now().Add(30 * time.Second))
	switch service {
	case "http", "https", "ws", "wss":
		_, err = io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	case "echo-tcp", "echo-tls":
		_, err = io.WriteString(c, "ping\n")
	}
	if err != nil {
		return c, "", err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if errors.Is(err, io.EOF) && line != "" {
		err = nil // a refusal without a final newline
	}
	return c, line, err
}

func TestConnectionOverTheLimitIsRefused(t *testing.T) {
	tests := []struct {
		service, busy string
	}{
		{"echo-tcp", ""}, // no protocol to refuse in: closed
		{"echo-tls", ""},
		{"smtp", "421 "},
		{"smtps", "421 "},
		{"submission", "421 "},
		{"pop3", "-ERR [SYS/TEMP] "},
		{"pop3s", "-ERR [SYS/TEMP] "},
		{"imap", "* BYE [UNAVAILABLE] "},
		{"imaps", "* BYE [UNAVAILABLE] "},
		{"nntp", "400 "},
		{"nntps", "400 "},
		{"ftp", "421 "},
		{"ftps", "421 "},
		{"http", "HTTP/1.1 503 "},
		{"https", "HTTP/1.1 503 "},
		{"ws", "HTTP/1.1 503 "},
	}
	for _, tc := range tests {
		t.Run(tc.service, func(t *testing.T) {
			t.Parallel()
			s := newSandbox(t, Options{})
			s.maxConns = 1
			first, hello := greet(t, s, tc.service)
			if hello == "" || tc.busy != "" && strings.HasPrefix(hello, tc.busy) {
				t.Fatalf("first connection: %q", hello)
			}
			_, refused, err := tryGreet(t, s, tc.service)
			switch {
			case tc.busy == "" && (err == nil || refused != ""):
				t.Fatalf("second connection, over the limit: %q, %v; want it closed", refused, err)
			case tc.busy != "" && (err != nil || !strings.HasPrefix(refused, tc.busy)):
				t.Fatalf("second connection, over the limit: %q, %v; want %q…", refused, err, tc.busy)
			}
			first.Close()
			// The slot is given back when the first connection ends;
			// until the server has seen that, a third may be refused too.
			for i := 0; ; i++ {
				_, again, err := tryGreet(t, s, tc.service)
				if err == nil && again != "" && (tc.busy == "" || !strings.HasPrefix(again, tc.busy)) {
					break
				}
				if i == 100 {
					t.Fatalf("still refused after the first connection closed: %q", again)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

// TestSlowClientsDoNotStallOthers holds every slot of the SMTP and POP3
// servers with clients that say nothing (a slowloris), then checks that 72
// more clients each get an answer at once, a refusal, rather than silence.
func TestSlowClientsDoNotStallOthers(t *testing.T) {
	for _, service := range []string{"smtp", "pop3", "nntp"} {
		t.Run(service, func(t *testing.T) {
			s := newSandbox(t, Options{})
			addr := address(t, s, service)
			var idle []net.Conn
			for range s.maxConns {
				c, hello := greet(t, s, service)
				if hello == "" {
					t.Fatal("no greeting")
				}
				idle = append(idle, c)
			}
			var wg sync.WaitGroup
			answers := make(chan string, 72)
			for range 72 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c, err := net.Dial("tcp", addr)
					if err != nil {
						answers <- "dial: " + err.Error()
						return
					}
					defer c.Close()
					c.SetDeadline(time.Now().Add(30 * time.Second))
					line, err := bufio.NewReader(c).ReadString('\n')
					if err != nil {
						line = "read: " + err.Error()
					}
					answers <- line
				}()
			}
			wg.Wait()
			close(answers)
			for a := range answers {
				if !strings.HasPrefix(a, string(busyOf(service)[:4])) {
					t.Fatalf("a client over the limit got %q", a)
				}
			}
			if len(idle) != s.maxConns {
				t.Fatal("lost a connection")
			}
		})
	}
}

func busyOf(service string) []byte {
	switch service {
	case "smtp":
		return busySMTP
	case "pop3":
		return busyPOP3
	}
	return busyNNTP
}

func TestHTTPBusyIsWellFormed(t *testing.T) {
	head, body, ok := strings.Cut(string(busyHTTP), "\r\n\r\n")
	if !ok || !strings.Contains(head, "Content-Length: "+strconv.Itoa(len(body))) {
		t.Fatalf("bad 503: %q", busyHTTP)
	}
}
