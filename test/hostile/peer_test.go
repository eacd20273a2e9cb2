package hostile

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"net"
	"strings"
	"testing"
	"time"
)

// peer is the server's side of one connection.
type peer struct {
	c net.Conn
	r *bufio.Reader
	// greet is the protocol's good greeting (for ws, the handshake
	// response to this client's request).
	greet string
}

func (pc *peer) say(s string)   { _, _ = pc.c.Write([]byte(s)) }
func (pc *peer) write(b []byte) { _, _ = pc.c.Write(b) }
func (pc *peer) close()         { _ = pc.c.Close() }
func (pc *peer) line() string   { l, _ := pc.r.ReadString('\n'); return strings.TrimRight(l, "\r\n") }
func (pc *peer) drain()         { _, _ = pc.r.WriteTo(discard{}) }
func (pc *peer) flood(b []byte) {
	for {
		if _, err := pc.c.Write(b); err != nil {
			return
		}
	}
}

// block sends status, then a dot-terminated block of 50 MiB in lines of
// 1000 bytes, twice the default max_size.
func (pc *peer) block(status string) {
	pc.say(status)
	big := []byte(strings.Repeat(strings.Repeat("y", 998)+"\r\n", 64))
	for range (50 << 20) / len(big) {
		if _, err := pc.c.Write(big); err != nil {
			return
		}
	}
	pc.say(".\r\n")
}

// trickle sends one byte every 50 ms until the client goes away.
func (pc *peer) trickle() {
	for range 200 {
		if _, err := pc.c.Write([]byte("x")); err != nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// head reads a request head, up to its empty line, and returns its lines.
func (pc *peer) head() []string {
	var lines []string
	for {
		l, err := pc.r.ReadString('\n')
		l = strings.TrimRight(l, "\r\n")
		if err != nil || l == "" {
			return lines
		}
		lines = append(lines, l)
	}
}

// idle waits until the client has sent nothing for 150 ms, answering each
// line with answer (which may be nil for a protocol without commands).
func (pc *peer) idle(answer func(pc *peer, line string)) {
	for {
		_ = pc.c.SetReadDeadline(time.Now().Add(150 * time.Millisecond))
		l, err := pc.r.ReadString('\n')
		_ = pc.c.SetReadDeadline(time.Time{})
		if err != nil {
			return
		}
		if answer != nil {
			answer(pc, strings.TrimRight(l, "\r\n"))
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// accept returns the handshake response to a WebSocket request.
func accept(head []string) string {
	key := ""
	for _, l := range head {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.EqualFold(k, "Sec-WebSocket-Key") {
			key = strings.TrimSpace(v)
		}
	}
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
		base64.StdEncoding.EncodeToString(sum[:]) + "\r\n\r\n"
}

// frameHead is the header of an unmasked text frame of n bytes.
func frameHead(n int) []byte {
	switch {
	case n < 126:
		return []byte{0x81, byte(n)}
	case n < 1<<16:
		return []byte{0x81, 126, byte(n >> 8), byte(n)}
	}
	b := []byte{0x81, 127, 0, 0, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint64(b[2:], uint64(n))
	return b
}

// serveUDP answers each datagram as the behaviour says.
func serveUDP(t *testing.T, b *behaviour) string {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 64<<10)
		for {
			_, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			switch b.name {
			case "garbage":
				_, _ = pc.WriteTo(garbage[:1000], from)
			case "invalid-utf8":
				_, _ = pc.WriteTo([]byte("caf\xc3( \xff\xfe"), from)
			case "nul-bytes":
				_, _ = pc.WriteTo([]byte("a\x00b\x00"), from)
			case "huge-greeting":
				_, _ = pc.WriteTo(make([]byte, 65000), from)
			case "flood-between-steps":
				for range 2000 {
					_, _ = pc.WriteTo(chunk[:8000], from)
				}
			}
		}
	}()
	t.Cleanup(func() { _ = pc.Close(); <-done })
	return pc.LocalAddr().String()
}
