package imap_test

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"io"
	"log"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/netrunhq/netrun/internal/steptest"
	netimap "github.com/netrunhq/netrun/steps/imap"
)

// harness loads and runs scenarios with the imap plugin (imap and imaps).
func harness(t *testing.T) *steptest.Harness {
	t.Helper()
	return steptest.New(t, netimap.Plugin{})
}

// server is an in-process IMAP server (go-imap's imapmemserver) on
// 127.0.0.1:0 with the user alice, password secret, and an INBOX.
type server struct {
	t    *testing.T
	addr string
	user *imapmemserver.User
}

// serverOptions configure a test server.
type serverOptions struct {
	// caps are the capabilities beyond IMAP4rev1; nil: UIDPLUS and MOVE.
	caps []imap.Cap
	// startTLS offers STARTTLS with this configuration.
	startTLS *tls.Config
	// implicit serves TLS from the start with this configuration.
	implicit *tls.Config
}

// newServer starts a server; it stops when the test ends.
func newServer(t *testing.T, o serverOptions) *server {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser("alice", "secret")
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	caps := imap.CapSet{imap.CapIMAP4rev1: {}}
	if o.caps == nil {
		o.caps = []imap.Cap{imap.CapUIDPlus, imap.CapMove}
	}
	for _, c := range o.caps {
		caps[c] = struct{}{}
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         caps,
		TLSConfig:    o.startTLS,
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if o.implicit != nil {
		ln = tls.NewListener(ln, o.implicit)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return &server{t: t, addr: ln.Addr().String(), user: user}
}

// add appends a message to mailbox, received at when (now when zero).
func (s *server) add(mailbox, raw string, when time.Time) {
	s.t.Helper()
	if when.IsZero() {
		when = time.Now()
	}
	raw = strings.ReplaceAll(raw, "\n", "\r\n")
	if _, err := s.user.Append(mailbox, bytes.NewReader([]byte(raw)), &imap.AppendOptions{Time: when}); err != nil {
		s.t.Fatal(err)
	}
}

// mail makes a small message.
func mail(subject, token, body string) string {
	return "From: Alice <alice@example.test>\nTo: bob@example.test\nSubject: " + subject +
		"\nX-Netrun-Token: " + token + "\nMessage-ID: <" + token + "@example.test>\n\n" + body + "\n"
}

// flags returns the flags of every message of mailbox by UID, read with a
// client of its own.
func (s *server) flags(mailbox string) map[uint32][]imap.Flag {
	s.t.Helper()
	c, err := imapclient.DialInsecure(s.addr, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("alice", "secret").Wait(); err != nil {
		s.t.Fatal(err)
	}
	if _, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		s.t.Fatal(err)
	}
	msgs, err := c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, Flags: true}).Collect()
	if err != nil {
		s.t.Fatal(err)
	}
	out := map[uint32][]imap.Flag{}
	for _, m := range msgs {
		out[uint32(m.UID)] = m.Flags
	}
	return out
}

// count returns how many messages mailbox holds.
func (s *server) count(mailbox string) int {
	s.t.Helper()
	data, err := s.user.Status(mailbox, &imap.StatusOptions{NumMessages: true})
	if err != nil {
		s.t.Fatal(err)
	}
	return int(*data.NumMessages)
}

// stallServer accepts clients on 127.0.0.1:0. With greet, it greets,
// answers CAPABILITY, LOGIN and LOGOUT, hangs up at SELECT, and never
// answers anything else; without, it says nothing at all. Either way it reads until the client
// leaves.
func stallServer(t *testing.T, greet bool) string {
	t.Helper()
	return hookedServer(t, greet, nil)
}

// hookedServer is stallServer that calls hook with each command it does
// not answer.
func hookedServer(t *testing.T, greet bool, hook func(cmd string)) string {
	t.Helper()
	return steptest.ServeEach(t, func(c net.Conn) { stall(c, greet, hook) })
}

func stall(c net.Conn, greet bool, hook func(string)) {
	defer c.Close()
	if !greet {
		_, _ = io.Copy(io.Discard, c)
		return
	}
	_, _ = io.WriteString(c, "* OK [CAPABILITY IMAP4rev1] ready\r\n")
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		tag, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
		cmd, _, _ := strings.Cut(rest, " ")
		switch strings.ToUpper(cmd) {
		case "CAPABILITY":
			_, _ = io.WriteString(c, "* CAPABILITY IMAP4rev1\r\n"+tag+" OK done\r\n")
		case "LOGIN":
			_, _ = io.WriteString(c, tag+" OK [CAPABILITY IMAP4rev1] logged in\r\n")
		case "SELECT":
			return // hang up
		case "LOGOUT":
			_, _ = io.WriteString(c, "* BYE\r\n"+tag+" OK bye\r\n")
			return
		default:
			if hook != nil {
				hook(strings.ToUpper(cmd))
			}
		}
	}
}
