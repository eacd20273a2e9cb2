package hostile

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/internal/steptest"
)

// tlsConfig is the scripted servers' TLS configuration (newEnv).
var tlsConfig *tls.Config

// proto is one protocol: its scenario and its server's moves.
type proto struct {
	name string
	// tls makes the server speak TLS from the start.
	tls bool
	// prefix starts a reply line: "220 ".
	prefix string
	// open runs the server's side up to its hostile point: nothing for a
	// greeting protocol, reading the request for http and ws, reading the
	// line sent for tcp.
	open func(pc *peer)
	// greet is a good greeting, answer answers a command well; between
	// greets and answers until the client sleeps, then floods.
	greet  string
	answer func(pc *peer, line string)
	// reply sends a reply whose text is text, then answers on.
	reply func(pc *peer, text string)
	// endless sends a multi-line reply without end; body sends a body
	// larger than the cap to the scenario's body step; trickle, when set,
	// trickles in its own way.
	endless, body, trickle, between func(pc *peer)
	// steps are the scenario's steps after connect; bodySteps those of the
	// huge-body cells.
	connect, steps, bodySteps string
	// serveUDP replaces the TCP server.
	udp bool
	// floodsAtOnce: the flood between steps starts on connect, before open.
	floodsAtOnce bool
}

// scenario returns the YAML of the cell.
func (p *proto) scenario(b *behaviour) string {
	t := fmt.Sprintf("%dms", stepTimeout.Milliseconds())
	var sb strings.Builder
	fmt.Fprintf(&sb, "name: %s %s\nsteps:\n  - connect: %s\n    timeout: %s\n", p.name, b.name, p.connect, t)
	rest := p.steps
	switch {
	case b.name == "flood-between-steps":
		fmt.Fprintf(&sb, "  - sleep: %dms\n", sleepFor.Milliseconds())
	case strings.HasPrefix(b.name, "huge-") && b.name != "huge-greeting":
		rest = p.bodySteps
	}
	sb.WriteString(strings.ReplaceAll(rest, "TIMEOUT", t))
	return sb.String()
}

// serve starts the cell's server and returns its address.
func (p *proto) serve(t *testing.T, b *behaviour) string {
	if p.udp {
		return serveUDP(t, b)
	}
	return steptest.ServeEach(t, func(c net.Conn) {
		if p.tls {
			tc := tls.Server(c, tlsConfig)
			if tc.Handshake() != nil {
				return
			}
			c = tc
		}
		pc := &peer{c: c, r: bufio.NewReader(c), greet: p.greet}
		if p.open != nil && !(p.floodsAtOnce && b.name == "flood-between-steps") {
			p.open(pc)
		}
		b.act(p, pc)
	})
}

// lineProto is a protocol whose server greets and answers lines.
func lineProto(name, prefix, greet string, answer func(pc *peer, line string)) *proto {
	p := &proto{name: name, prefix: prefix, greet: greet, answer: answer}
	p.reply = func(pc *peer, text string) {
		pc.say(prefix + text + "\r\n")
		pc.idle(answer)
	}
	p.between = func(pc *peer) {
		pc.say(pc.greet)
		pc.idle(answer)
		pc.say(prefix)
		pc.flood(chunk)
	}
	return p
}

func protos(e *env) []*proto {
	smtp := lineProto("smtp", "220 ", "220 hostile ESMTP\r\n", func(pc *peer, l string) {
		switch verb(l) {
		case "EHLO":
			pc.say("250-hostile\r\n250 8BITMIME\r\n")
		case "QUIT":
			pc.say("221 bye\r\n")
		default:
			pc.say("250 ok\r\n")
		}
	})
	smtp.connect, smtp.steps = "smtp://ADDR", "  - send: { command: NOOP }\n    timeout: TIMEOUT\n"
	smtp.endless = func(pc *peer) { pc.flood([]byte(strings.Repeat("220-more of the greeting\r\n", 1000))) }

	pop3 := lineProto("pop3", "+OK ", "+OK hostile\r\n", func(pc *peer, l string) {
		switch verb(l) {
		case "CAPA":
			pc.say("+OK\r\nUSER\r\n.\r\n")
		case "STAT":
			pc.say("+OK 1 1000\r\n")
		case "LIST":
			pc.say("+OK 1 1000\r\n")
		case "RETR":
			pc.block("+OK\r\n")
		default:
			pc.say("+OK\r\n")
		}
	})
	pop3.connect, pop3.steps = "pop3://ADDR", "  - send: { command: NOOP }\n    timeout: TIMEOUT\n"
	pop3.bodySteps = "  - fetch: { message: 1 }\n    timeout: TIMEOUT\n"
	pop3.endless = func(pc *peer) {
		pc.say("+OK hostile\r\n")
		pc.line() // CAPA
		pc.say("+OK\r\n")
		pc.flood([]byte(strings.Repeat("SASL PLAIN\r\n", 1000)))
	}
	pop3.body = func(pc *peer) {
		pc.say(pc.greet)
		pc.idle(pop3.answer)
	}

	imap := lineProto("imap", "* OK ", "* OK [CAPABILITY IMAP4rev1] hostile\r\n", func(pc *peer, l string) {
		tag, rest, _ := strings.Cut(l, " ")
		if verb(rest) == "LOGOUT" {
			pc.say("* BYE\r\n" + tag + " OK bye\r\n")
			return
		}
		pc.say(tag + " OK done\r\n")
	})
	imap.connect, imap.steps = "imap://ADDR", "  - send: { create: x }\n    timeout: TIMEOUT\n"
	imap.bodySteps = imap.steps
	imap.endless = func(pc *peer) { pc.flood([]byte(strings.Repeat("* OK still here\r\n", 1000))) }
	imap.body = func(pc *peer) {
		pc.say(pc.greet)
		pc.line() // CREATE
		pc.say("* LIST () \"/\" {104857600}\r\n")
		pc.flood(chunk)
	}

	nntp := lineProto("nntp", "200 ", "200 hostile\r\n", func(pc *peer, l string) {
		switch verb(l) {
		case "CAPABILITIES":
			pc.say("101 caps\r\nVERSION 2\r\nREADER\r\n.\r\n")
		case "DATE":
			pc.say("111 20240101000000\r\n")
		case "QUIT":
			pc.say("205 bye\r\n")
		case "ARTICLE":
			pc.block("220 1 <a@hostile>\r\n")
		default:
			pc.say("200 ok\r\n")
		}
	})
	nntp.connect, nntp.steps = "nntp://ADDR", "  - send: { command: DATE }\n    timeout: TIMEOUT\n"
	nntp.bodySteps = "  - fetch: { article: '<a@hostile>' }\n    timeout: TIMEOUT\n"
	nntp.endless = func(pc *peer) {
		pc.say("200 hostile\r\n")
		pc.line() // CAPABILITIES
		pc.say("101 caps\r\n")
		pc.flood([]byte(strings.Repeat("VERSION 2\r\n", 1000)))
	}
	nntp.body = func(pc *peer) {
		pc.say(pc.greet)
		pc.idle(nntp.answer)
	}

	ftp := lineProto("ftp", "220 ", "220 hostile\r\n", func(pc *peer, l string) {
		switch verb(l) {
		case "USER":
			pc.say("331 password\r\n")
		case "PASS":
			pc.say("230 in\r\n")
		case "FEAT":
			pc.say("211-features\r\n UTF8\r\n211 end\r\n")
		case "PWD":
			pc.say("257 \"/\"\r\n")
		case "QUIT":
			pc.say("221 bye\r\n")
		default:
			pc.say("200 ok\r\n")
		}
	})
	ftp.connect, ftp.steps = "ftp://ADDR", "  - send: { command: NOOP }\n    timeout: TIMEOUT\n"
	ftp.endless = smtp.endless

	http := &proto{name: "http", prefix: "HTTP/1.1 200 OK\r\nX-Hostile: ", open: func(pc *peer) { pc.head() }}
	http.connect, http.steps = "http://ADDR", "  - fetch: /\n    timeout: TIMEOUT\n"
	http.bodySteps = "  - fetch: /\n    timeout: TIMEOUT\n    assert: not result.truncated\n"
	http.reply = func(pc *peer, text string) {
		pc.say("HTTP/1.1 200 " + text + "\r\nContent-Length: 2\r\n\r\nok")
		pc.drain()
	}
	http.endless = func(pc *peer) {
		pc.say("HTTP/1.1 200 OK\r\n")
		pc.flood([]byte(strings.Repeat("X-More: header\r\n", 1000)))
	}
	http.body = func(pc *peer) {
		pc.say("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
		pc.flood(chunk)
	}

	ws := &proto{name: "ws", prefix: "HTTP/1.1 101 Switching Protocols\r\nX-Hostile: "}
	ws.open = func(pc *peer) { pc.greet = accept(pc.head()) }
	ws.connect, ws.steps = "ws://ADDR/", "  - send: hello\n    timeout: TIMEOUT\n  - expect: hello\n    timeout: TIMEOUT\n"
	ws.bodySteps = "  - expect: hello\n    timeout: TIMEOUT\n"
	ws.reply = func(pc *peer, text string) {
		pc.say(strings.Replace(pc.greet, "Switching Protocols", text, 1))
		pc.drain()
	}
	ws.endless = func(pc *peer) {
		pc.say("HTTP/1.1 101 Switching Protocols\r\n")
		pc.flood([]byte(strings.Repeat("X-More: header\r\n", 1000)))
	}
	ws.body = func(pc *peer) {
		pc.say(pc.greet)
		pc.write(frameHead(1 << 30))
		pc.flood(chunk)
	}
	ws.trickle = func(pc *peer) {
		// A good handshake, then a message that never ends: the expect
		// times out, and closing must not wait for the peer's close frame.
		pc.say(pc.greet)
		pc.write(frameHead(100))
		pc.trickle()
	}
	ws.between = func(pc *peer) {
		pc.say(pc.greet)
		pc.idle(nil)
		msg := append(frameHead(len(chunk)), chunk...)
		pc.flood(msg)
	}

	tcp := &proto{name: "tcp", open: func(pc *peer) { pc.line() }}
	tcp.connect, tcp.steps = "tcp://ADDR", "  - send: \"hi\\n\"\n    timeout: TIMEOUT\n  - expect: hello\n    timeout: TIMEOUT\n"
	tcp.reply = func(pc *peer, text string) { pc.say(text + "\r\n"); pc.drain() }
	tcp.endless = func(pc *peer) { pc.flood([]byte(strings.Repeat("not it\r\n", 1000))) }
	tcp.between = func(pc *peer) { pc.flood(chunk) }
	tcp.floodsAtOnce = true
	tlsp := *tcp
	tlsp.name, tlsp.tls = "tls", true
	tlsp.connect = "tls://ADDR\n    tls: { ca: CA }"

	udp := &proto{name: "udp", udp: true}
	udp.connect, udp.steps = "udp://ADDR", "  - send: hi\n    timeout: TIMEOUT\n  - expect: hello\n    timeout: TIMEOUT\n"

	return []*proto{smtp, pop3, imap, nntp, ftp, http, ws, tcp, &tlsp, udp}
}

// verb is the command word of a line, upper case.
func verb(l string) string {
	w, _, _ := strings.Cut(l, " ")
	return strings.ToUpper(w)
}
