package hostile

import (
	"bytes"
	"math/rand/v2"
	"time"
)

// sleepFor is the sleep between connect and the next step in the cells
// that flood between steps.
const sleepFor = 600 * time.Millisecond

// behaviour is one way of misbehaving, done by the server at its hostile
// point: in place of the greeting (smtp, pop3, imap, nntp, ftp), in place
// of the response to the request (http, the ws handshake), or in answer to
// the line sent (tcp, tls) or the datagram (udp).
type behaviour struct {
	name string
	// heavy cells can cost memory: they run alone and are held to
	// base + 1.5 × capBytes.
	heavy    bool
	capBytes int64
	// mayPass: the peer said nothing wrong enough to fail the step (NUL
	// bytes and invalid UTF-8 in a reply's text are still a reply).
	mayPass bool
	// only limits the behaviour to these protocols; skip excludes some.
	only, skip []string
	act        func(p *proto, pc *peer)
}

func (b *behaviour) appliesTo(p *proto) bool {
	for _, n := range b.skip {
		if n == p.name {
			return false
		}
	}
	if b.only == nil {
		return true
	}
	for _, n := range b.only {
		if n == p.name {
			return true
		}
	}
	return false
}

// chunk is what endless senders write at a time.
var chunk = bytes.Repeat([]byte("x"), 32<<10)

// garbage is bytes of every value, with a CRLF now and then.
var garbage = func() []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 64<<10)
	for i := range b {
		b[i] = byte(r.UintN(256))
		if i%100 == 99 {
			b[i-1], b[i] = '\r', '\n'
		}
	}
	return b
}()

func behaviours() []*behaviour {
	return []*behaviour{
		{name: "silence", act: func(p *proto, pc *peer) { pc.drain() }},
		{name: "endless-line", heavy: true, skip: []string{"udp"}, act: func(p *proto, pc *peer) {
			pc.say(p.prefix)
			pc.flood(chunk)
		}},
		{name: "endless-multiline", heavy: true, skip: []string{"udp"}, act: func(p *proto, pc *peer) {
			p.endless(pc)
		}},
		{name: "garbage", act: func(p *proto, pc *peer) {
			pc.write(garbage)
			pc.drain()
		}},
		{name: "early-close", skip: []string{"udp"}, act: func(p *proto, pc *peer) { pc.close() }},
		{name: "close-mid-reply", skip: []string{"udp"}, act: func(p *proto, pc *peer) {
			pc.say(p.prefix + "the start of a rep")
			pc.close()
		}},
		{name: "trickle", skip: []string{"udp"}, act: func(p *proto, pc *peer) {
			if p.trickle != nil {
				p.trickle(pc)
				return
			}
			pc.say(p.prefix)
			pc.trickle()
		}},
		{name: "invalid-utf8", mayPass: true, act: func(p *proto, pc *peer) {
			p.reply(pc, "caf\xc3( \xff\xfe")
		}},
		{name: "nul-bytes", mayPass: true, act: func(p *proto, pc *peer) {
			p.reply(pc, "a\x00b\x00")
		}},
		{name: "huge-greeting", heavy: true, act: func(p *proto, pc *peer) {
			if p.name == "udp" {
				pc.write(bytes.Repeat([]byte("x"), 65000))
				return
			}
			pc.say(p.prefix)
			for range 10 << 20 / len(chunk) {
				pc.write(chunk)
			}
			pc.say("\r\n")
			pc.drain()
		}},
		{name: "flood-between-steps", heavy: true, skip: []string{"http"}, act: func(p *proto, pc *peer) {
			p.between(pc)
		}},
		{name: "huge-body", heavy: true, capBytes: 25 << 20, only: []string{"pop3", "nntp"}, act: func(p *proto, pc *peer) {
			p.body(pc)
		}},
		{name: "huge-literal", heavy: true, only: []string{"imap"}, act: func(p *proto, pc *peer) {
			p.body(pc)
		}},
		// go-imap v2.0.0-beta.8 spins forever on a "(" in a capability
		// list (found by FuzzGreeting).
		{name: "paren-in-capabilities", only: []string{"imap"}, act: func(p *proto, pc *peer) {
			pc.say("* OK [CAPABILITY IMAP4rev1 X(Y] hostile\r\n")
			pc.drain()
		}},
		{name: "huge-body", heavy: true, capBytes: 1 << 20, only: []string{"http", "ws"}, act: func(p *proto, pc *peer) {
			p.body(pc)
		}},
	}
}
