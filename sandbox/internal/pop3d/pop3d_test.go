package pop3d

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/sandbox/internal/mailstore"
)

func TestTop(t *testing.T) {
	tests := []struct {
		name, raw string
		n         int
		want      string
	}{
		{"header only", "A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\n", 0, "A: 1\r\nB: 2\r\n\r\n"},
		{"one line", "A: 1\r\n\r\nl1\r\nl2\r\n", 1, "A: 1\r\n\r\nl1\r\n"},
		{"more than there is", "A: 1\r\n\r\nl1\r\nl2\r\n", 9, "A: 1\r\n\r\nl1\r\nl2\r\n"},
		{"bare LF", "A: 1\n\nl1\nl2\n", 1, "A: 1\n\nl1\n"},
		{"no final line end", "A: 1\r\n\r\nl1", 5, "A: 1\r\n\r\nl1"},
		{"no body", "A: 1\r\n", 3, "A: 1\r\n"},
		{"blank line in the body", "A: 1\r\n\r\nl1\r\n\r\nl3\r\n", 2, "A: 1\r\n\r\nl1\r\n\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(top([]byte(tt.raw), tt.n)); got != tt.want {
				t.Fatalf("top(%q, %d) = %q, want %q", tt.raw, tt.n, got, tt.want)
			}
		})
	}
}

func TestOctets(t *testing.T) {
	for raw, want := range map[string]int64{"": 0, "a\r\nb\r\n": 6, "a\nb\n": 6, "a\r\nb\n": 6, "ab": 4, "a\r": 3} {
		if got := octets([]byte(raw)); got != want {
			t.Errorf("octets(%q) = %d, want %d", raw, got, want)
		}
	}
}

func TestServeConnOverPipe(t *testing.T) {
	store := mailstore.New(map[string]string{"alice": "secret"})
	if _, err := store.Deliver("alice", []byte("Subject: x\n\n.dot\nend"), time.Now()); err != nil {
		t.Fatal(err)
	}
	client, server := net.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		(&Server{Store: store}).ServeConn(server)
	}()
	defer func() { client.Close(); <-done }()
	client.SetDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(client)
	var got []string
	for _, cmd := range []string{"", "CAPA", "USER alice", "PASS secret", "LIST 1", "RETR 1", "QUIT"} {
		if cmd != "" {
			if _, err := client.Write([]byte(cmd + "\r\n")); err != nil {
				t.Fatal(err)
			}
		}
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("after %q: %v", cmd, err)
			}
			got = append(got, l)
			if (cmd != "CAPA" && cmd != "RETR 1") || l == ".\r\n" {
				break
			}
		}
	}
	all := strings.Join(got, "")
	// Bare LFs go out as CRLF, counted so in the size; the dot is stuffed;
	// a final line end is added. No STLS without a TLS configuration.
	for _, want := range []string{"+OK 1 25\r\n", "+OK 25 octets\r\nSubject: x\r\n\r\n..dot\r\nend\r\n.\r\n", "+OK bye\r\n"} {
		if !strings.Contains(all, want) {
			t.Errorf("dialogue lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "STLS") {
		t.Errorf("STLS offered without TLS:\n%s", all)
	}
	<-done
	box, _ := store.User("alice").Mailbox(mailstore.Inbox)
	if n := len(box.Messages()); n != 1 {
		t.Fatalf("%d messages, want 1", n)
	}
}

// TestEmptyListings checks that LIST and UIDL of an empty maildrop are the
// status line and the dot alone, as Dovecot sends them: an empty line
// before the dot made poplib list one empty message.
func TestEmptyListings(t *testing.T) {
	store := mailstore.New(map[string]string{"bob": "secret"})
	client, server := net.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		(&Server{Store: store}).ServeConn(server)
	}()
	defer func() { client.Close(); <-done }()
	client.SetDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(client)
	read := func() string {
		l, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	read() // greeting
	for _, cmd := range []string{"USER bob", "PASS secret", "LIST", "UIDL"} {
		if _, err := client.Write([]byte(cmd + "\r\n")); err != nil {
			t.Fatal(err)
		}
		if l := read(); !strings.HasPrefix(l, "+OK") {
			t.Fatalf("%s: %q", cmd, l)
		}
		if cmd == "LIST" || cmd == "UIDL" {
			if l := read(); l != ".\r\n" {
				t.Errorf("%s of an empty maildrop: %q after the status line, want the dot", cmd, l)
			}
		}
	}
}
