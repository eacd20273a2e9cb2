package smtp_test

import (
	"bufio"
	"crypto/hmac"
	"crypto/md5"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netrunhq/netrun/internal/steptest"
)

// fake is a scripted SMTP server on 127.0.0.1:0. Its zero value answers
// like a plain ESMTP server; the fields change what it says.
type fake struct {
	// Greeting is the first reply; default "220 fake.test ESMTP".
	Greeting string
	// Raw, when set, is sent instead of the greeting, as is, and the
	// server then only listens.
	Raw string
	// Ext are the EHLO extension lines; default PIPELINING, SIZE 1000000,
	// 8BITMIME. STARTTLS and AUTH are added from TLS and Mechs.
	Ext []string
	// Replies override the answers: a key is a whole command ("RCPT
	// TO:<x@example.test>") or a verb ("EHLO", "MAIL", "DATA", "." for the
	// end of the message, "STARTTLS"). A value of several lines is a
	// multi-line reply.
	Replies map[string]string
	// TLS, when set, makes STARTTLS offered; with Implicit the server
	// speaks TLS from the start.
	TLS      *tls.Config
	Implicit bool
	// AfterStartTLS is sent right after the reply to STARTTLS, in the same
	// write (an injection).
	AfterStartTLS string
	// Mechs are the AUTH mechanisms offered, such as "PLAIN LOGIN"; with
	// AuthOnlyTLS only after STARTTLS. Users maps user to password (or
	// XOAUTH2 token).
	Mechs       string
	AuthOnlyTLS bool
	Users       map[string]string
	// EchoAuth makes a refused AUTH echo what the client sent, decoded, as
	// a careless server might.
	EchoAuth bool
	// DropInData closes the connection after the first line of a message.
	DropInData bool

	mu       sync.Mutex
	heard    []string
	messages []string
}

// start serves clients on 127.0.0.1:0 until the test ends and returns
// the address.
func (f *fake) start(t *testing.T) string {
	t.Helper()
	return steptest.ServeEach(t, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(20 * time.Second))
		f.serve(c)
	})
}

// Heard returns every line received, in order.
func (f *fake) Heard() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.heard...)
}

// Messages returns the messages received after DATA, dot-unstuffed.
func (f *fake) Messages() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.messages...)
}

// defaultReply is the answer to the other commands.
func defaultReply(verb string) string {
	switch verb {
	case "MAIL":
		return "250 2.1.0 Ok"
	case "RCPT":
		return "250 2.1.5 Ok"
	case "RSET", "NOOP":
		return "250 2.0.0 Ok"
	case "VRFY":
		return "252 2.0.0 Cannot VRFY user"
	}
	return "502 5.5.2 Error: command not recognized"
}

// peer is one client connection of the fake.
type peer struct {
	f   *fake
	c   net.Conn
	r   *bufio.Reader
	tls bool
}

func (p *peer) say(reply string) {
	lines := strings.Split(reply, "\n")
	var b strings.Builder
	for i, l := range lines {
		if i < len(lines)-1 && len(l) > 3 && l[3] == ' ' {
			l = l[:3] + "-" + l[4:]
		}
		b.WriteString(l + "\r\n")
	}
	_, _ = io.WriteString(p.c, b.String())
}

func (p *peer) hear() (string, bool) {
	line, err := p.r.ReadString('\n')
	if err != nil {
		return "", false
	}
	line = strings.TrimRight(line, "\r\n")
	p.f.mu.Lock()
	p.f.heard = append(p.f.heard, line)
	p.f.mu.Unlock()
	return line, true
}

// reply returns the answer to cmd: an override, else def.
func (p *peer) reply(cmd, verb, def string) string {
	if r, ok := p.f.Replies[cmd]; ok {
		return r
	}
	if r, ok := p.f.Replies[verb]; ok {
		return r
	}
	return def
}

func (f *fake) serve(c net.Conn) {
	p := &peer{f: f, c: c}
	if f.Implicit {
		tc := tls.Server(c, f.TLS)
		if tc.Handshake() != nil {
			return
		}
		p.c, p.tls = tc, true
	}
	p.r = bufio.NewReader(p.c)
	if f.Raw != "" {
		_, _ = io.WriteString(p.c, f.Raw)
		_, _ = io.Copy(io.Discard, p.r)
		return
	}
	greeting := f.Greeting
	if greeting == "" {
		greeting = "220 fake.test ESMTP"
	}
	p.say(greeting)
	for {
		cmd, ok := p.hear()
		if !ok {
			return
		}
		verb := strings.ToUpper(strings.Fields(cmd + " x")[0])
		switch verb {
		case "EHLO":
			lines := []string{"250 fake.test greets " + cmd[5:]}
			for _, e := range p.ext() {
				lines = append(lines, "250 "+e)
			}
			p.say(p.reply(cmd, verb, strings.Join(lines, "\n")))
		case "HELO":
			p.say(p.reply(cmd, verb, "250 fake.test"))
		case "STARTTLS":
			if f.TLS == nil || p.tls {
				p.say("502 5.5.1 no")
				continue
			}
			_, _ = io.WriteString(p.c, p.reply(cmd, verb, "220 2.0.0 Ready to start TLS")+"\r\n"+f.AfterStartTLS)
			if f.AfterStartTLS != "" {
				return
			}
			tc := tls.Server(p.c, f.TLS)
			if tc.Handshake() != nil {
				return
			}
			p.c, p.r, p.tls = tc, bufio.NewReader(tc), true
		case "AUTH":
			p.auth(cmd)
		case "DATA":
			r := p.reply(cmd, verb, "354 End data with <CR><LF>.<CR><LF>")
			p.say(r)
			if r[0] == '3' && !p.data() {
				return
			}
		case "QUIT":
			p.say(p.reply(cmd, verb, "221 2.0.0 Bye"))
			return
		default:
			p.say(p.reply(cmd, verb, defaultReply(verb)))
		}
	}
}

// ext lists the EHLO extensions.
func (p *peer) ext() []string {
	ext := p.f.Ext
	if ext == nil {
		ext = []string{"PIPELINING", "SIZE 1000000", "8BITMIME"}
	}
	if p.f.TLS != nil && !p.tls {
		ext = append(ext, "STARTTLS")
	}
	if p.f.Mechs != "" && (p.tls || !p.f.AuthOnlyTLS) {
		ext = append(ext, "AUTH "+p.f.Mechs)
	}
	return ext
}

// data reads a message up to "."; false when the connection is to end.
func (p *peer) data() bool {
	var msg strings.Builder
	for n := 0; ; n++ {
		line, err := p.r.ReadString('\n')
		if err != nil {
			return false
		}
		if p.f.DropInData {
			return false
		}
		if line == ".\r\n" {
			break
		}
		msg.WriteString(strings.TrimPrefix(line, "."))
	}
	p.f.mu.Lock()
	p.f.messages = append(p.f.messages, msg.String())
	p.f.mu.Unlock()
	p.say(p.reply(".", ".", "250 2.0.0 Ok: queued as 4BZ"))
	return true
}

// auth runs one AUTH exchange.
func (p *peer) auth(cmd string) {
	f := p.f
	fields := strings.Fields(cmd)
	if f.Mechs == "" || len(fields) < 2 {
		p.say("503 5.5.1 no AUTH here")
		return
	}
	ask := func(challenge string) (string, bool) {
		p.say("334 " + base64.StdEncoding.EncodeToString([]byte(challenge)))
		line, ok := p.hear()
		if !ok || line == "*" {
			return "", false
		}
		b, err := base64.StdEncoding.DecodeString(line)
		return string(b), err == nil
	}
	var user, secret, sent string
	good := false
	switch mech := strings.ToUpper(fields[1]); mech {
	case "PLAIN":
		var blob string
		if len(fields) > 2 {
			b, _ := base64.StdEncoding.DecodeString(fields[2])
			blob = string(b)
		} else if b, ok := ask(""); ok {
			blob = b
		}
		parts := strings.Split(blob, "\x00")
		if len(parts) == 3 {
			user, secret = parts[1], parts[2]
		}
		sent, good = blob, f.Users[user] == secret && user != ""
	case "LOGIN":
		u, ok1 := ask("Username:")
		pw, ok2 := ask("Password:")
		user, secret, sent = u, pw, u+" "+pw
		good = ok1 && ok2 && f.Users[user] == secret && user != ""
	case "CRAM-MD5":
		challenge := "<1896.697170952@fake.test>"
		resp, ok := ask(challenge)
		u, digest, _ := strings.Cut(resp, " ")
		mac := hmac.New(md5.New, []byte(f.Users[u]))
		mac.Write([]byte(challenge))
		sent = resp
		good = ok && u != "" && hex.EncodeToString(mac.Sum(nil)) == digest
	case "XOAUTH2":
		b, _ := base64.StdEncoding.DecodeString(fields[len(fields)-1])
		var token string
		for _, kv := range strings.Split(string(b), "\x01") {
			if v, ok := strings.CutPrefix(kv, "user="); ok {
				user = v
			}
			if v, ok := strings.CutPrefix(kv, "auth=Bearer "); ok {
				token = v
			}
		}
		sent = string(b)
		good = user != "" && f.Users[user] == token
		if !good {
			p.say("334 " + base64.StdEncoding.EncodeToString([]byte(`{"status":"401"}`)))
			p.hear()
		}
	default:
		p.say("504 5.5.4 unknown mechanism")
		return
	}
	switch {
	case good:
		p.say("235 2.7.0 Authentication successful")
	case f.EchoAuth:
		p.say(fmt.Sprintf("535 5.7.8 Authentication failed for %q", sent))
	default:
		p.say("535 5.7.8 Error: authentication failed")
	}
}
