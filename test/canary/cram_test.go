package canary

import (
	"bufio"
	"crypto/hmac"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
)

// cramServer is a scripted SMTP server that offers AUTH CRAM-MD5 and
// XOAUTH2 and checks the response against the canary for alice (as the
// password, or the OAuth token). It keeps every
// response it was sent, so that the test can look for them in outputs.
type cramServer struct {
	addr      string
	mu        sync.Mutex
	responses []string // decoded: "user hexdigest"
	xoauth2s  int
}

func startCRAMServer(t *testing.T) *cramServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &cramServer{addr: ln.Addr().String()}
	var wg sync.WaitGroup
	t.Cleanup(func() { _ = ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := 0; ; n++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() { defer wg.Done(); s.serve(c, n) }()
		}
	}()
	return s
}

func (s *cramServer) serve(c net.Conn, n int) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { _, _ = fmt.Fprintf(c, "%s\r\n", line) }
	say("220 cram.test ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.Fields(line + " x")[0])
		switch verb {
		case "EHLO":
			say("250-cram.test")
			say("250 AUTH CRAM-MD5 XOAUTH2")
		case "AUTH":
			if f := strings.Fields(line); len(f) == 3 && strings.EqualFold(f[1], "XOAUTH2") {
				s.xoauth2(say, f[2])
				continue
			}
			challenge := fmt.Sprintf("<%d.canary@cram.test>", 1000+n)
			say("334 " + base64.StdEncoding.EncodeToString([]byte(challenge)))
			resp, err := r.ReadString('\n')
			if err != nil {
				return
			}
			dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(resp))
			if err != nil {
				say("501 not base64")
				continue
			}
			s.mu.Lock()
			s.responses = append(s.responses, string(dec))
			s.mu.Unlock()
			m := hmac.New(md5.New, []byte(canary))
			m.Write([]byte(challenge))
			if string(dec) == "alice "+hex.EncodeToString(m.Sum(nil)) {
				say("235 2.7.0 Authentication successful")
			} else {
				say("535 5.7.8 Authentication credentials invalid")
			}
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 unknown")
		}
	}
}

// xoauth2 checks an XOAUTH2 initial response: the canary is the token.
func (s *cramServer) xoauth2(say func(string), blob string) {
	dec, err := base64.StdEncoding.DecodeString(blob)
	s.mu.Lock()
	s.xoauth2s++
	s.mu.Unlock()
	if err == nil && strings.HasPrefix(string(dec), "user=alice\x01") && strings.Contains(string(dec), "\x01auth=Bearer "+canary+"\x01\x01") {
		say("235 2.7.0 Authentication successful")
		return
	}
	say("535 5.7.8 Authentication credentials invalid")
}

func (s *cramServer) used() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.responses) > 0 && s.xoauth2s > 0
}

// responseForms are the forms of every CRAM-MD5 response received: the
// HMAC in hex, and the whole response (its base64 is what went over the
// wire).
func (s *cramServer) responseForms() []form {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []form
	for _, r := range s.responses {
		digest := r[strings.LastIndexByte(r, ' ')+1:]
		for _, f := range forms(digest) {
			out = append(out, form{"cram-md5 digest " + f.name, f.text})
		}
		out = append(out, form{"cram-md5 response base64", base64.StdEncoding.EncodeToString([]byte(r))})
	}
	return out
}
