package httpstep_test

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/internal/steptest"
)

func TestRequests(t *testing.T) {
	srv := newServer(t, nil)
	dir := t.TempDir()
	steptest.WriteFile(t, dir, "upload.txt", []byte("file body\n"))
	res := harness(t).Run(dir, `
name: requests
vars:
  mobile: "13800138000"
steps:
  - connect: http://ADDR/
    headers: { X-Default: one, Accept: text/plain }
    assert: [result.url == "http://ADDR", result.remote == "ADDR", result.tls == nil, result.duration > duration("0s")]
  - send:
      path: /echo
      form: { account: alice, mobile: '{{ mobile }}', tag: [a, b] }
      query: { lang: en, n: 3 }
      headers: { Accept: application/json }
    assert:
      - result.status == 200
      - result.status_text == "OK"
      - result.headers["Content-Type"] == "application/json"
      - result.json.method == "POST"
      - result.json.path == "/echo"
      - result.json.query.lang == ["en"]
      - result.json.query.n == ["3"]
      - result.json.form.mobile == ["13800138000"]
      - result.json.form.tag == ["a", "b"]
      - result.json.headers["X-Default"] == "one"
      - result.json.headers["Accept"] == "application/json"
      - result.json.headers["User-Agent"] == "netrun"
      - result.json.headers["Content-Type"] == "application/x-www-form-urlencoded"
      - result.url == "http://ADDR/echo?lang=en&n=3"
      - result.redirects == 0
      - not result.truncated
  - send:
      method: put
      path: echo?x=1
      json: { code: 2, ok: true, none: null, text: 'sms {{ mobile }}', n: '{{ 40 + 2 }}', list: [1, "2"] }
    assert:
      - result.json.method == "PUT"
      - result.json.query.x == ["1"]
      - result.json.body == '{"code":2,"list":[1,"2"],"n":42,"none":null,"ok":true,"text":"sms 13800138000"}'
      - result.json.headers["Content-Type"] == "application/json"
  - send: { method: DELETE, path: /echo, body: plain text, headers: { Content-Type: text/plain, Host: example.test } }
    assert:
      - result.json.body == "plain text"
      - result.json.host == "example.test"
      - result.json.headers["Content-Type"] == "text/plain"
  - send: { path: /echo, file: upload.txt }
    assert: [result.json.method == "POST", result.json.body == "file body\n"]
  - fetch: /echo
    assert:
      - result.json.method == "GET"
      - result.json.body == ""
      - result.headers["X-Missing"] == ""
  - fetch: 'http://ADDR/echo?abs=1'
    assert:
      - result.json.query.abs == ["1"]
      - result.url == "http://ADDR/echo?abs=1"
  - fetch: { path: /echo, query: { q: "a b&c" } }
    assert:
      - result.json.query.q == ["a b&c"]
      - result.url endsWith "q=a+b%26c"
  - send: { path: /echo, file: missing.txt }
`, "ADDR", srv.addr())
	steptest.Check(t, res, P, P, P, P, P, P, P, P, E)
	steptest.Failure(t, res, 9, "file: open ", "missing.txt: no such file")
	names := []string{"http connect ADDR", "http send POST /echo", "http send PUT echo?x=1", "http send DELETE /echo", "http send POST /echo (2)", "http fetch /echo"}
	for i, want := range names {
		if got, want := res.Steps[i].Name, strings.ReplaceAll(want, "ADDR", srv.addr()); got != want {
			t.Errorf("step %d name %q, want %q", i+1, got, want)
		}
	}
	tr := steptest.Transcript(res, 2)
	for _, want := range []string{`> "POST /echo?lang=en&n=3 HTTP/1.1\r\n"`, `> "X-Default: one\r\n"`,
		`> "account=alice&mobile=13800138000&tag=a&tag=b"`, `< "HTTP/1.1 200 OK\r\n"`} {
		if !strings.Contains(tr, want) {
			t.Errorf("transcript lacks %s:\n%s", want, tr)
		}
	}
	if n := srv.conns.Load(); n != 1 {
		t.Errorf("the server saw %d connections, want 1 (keep-alive, connect's connection reused)", n)
	}
	if strings.Contains(tr, "connected to") {
		t.Errorf("the first request made a new connection:\n%s", tr)
	}
}

func TestStatusAndBodies(t *testing.T) {
	srv := newServer(t, nil)
	res := harness(t).Run("", `
name: statuses
steps:
  - connect: http://ADDR
    max_body: 1KiB
  - fetch: /status/503
    assert:
      - result.status == 503
      - result.status_text == "Service Unavailable"
      - result.body == "503 Service Unavailable\n"
      - result.json == nil
      - result.json.code == nil
      - len(result.json) == 0
  - fetch: /text?status=500
    assert: result.json.code == 0
    continue: true
  - fetch: /text
    assert: result.json?.code == 0
    continue: true
  - fetch: /big?n=1024
    assert: [len(result.body) == 1024, not result.truncated]
  - fetch: /big?n=5000
    assert: [len(result.body) == 1024, result.truncated, result.json == nil]
  - fetch: /short
    continue: true
  - fetch: /cookie/set
    assert: result.headers["Set-Cookie"] == "session=abc; Path=/\ntheme=dark; Path=/"
  - fetch: /cookie
    assert: result.body == "abc"
`, "ADDR", srv.addr())
	steptest.Check(t, res, P, P, F, F, P, P, F, P, P)
	// A body that is not JSON where JSON was asserted: a failed check that
	// shows the operand nil, and the body in the transcript.
	f := steptest.Failure(t, res, 3, "assertion failed: result.json.code == 0")
	if len(f.Operands) != 1 || f.Operands[0].Expr != "result.json.code" || f.Operands[0].Value != "nil" {
		t.Errorf("operands %+v", f.Operands)
	}
	tr := steptest.Transcript(res, 3)
	for _, want := range []string{`< "Internal error"`, `result.json is nil: the body is not JSON (Content-Type "text/plain")`} {
		if !strings.Contains(tr, want) {
			t.Errorf("transcript lacks %s:\n%s", want, tr)
		}
	}
	if f := steptest.Failure(t, res, 4, "assertion failed: result.json?.code == 0"); f.Operands[0].Value != "nil" {
		t.Errorf("operands %+v", f.Operands)
	}
	if tr := steptest.Transcript(res, 5); !strings.Contains(tr, "result.json is nil: the body is not valid JSON, though Content-Type is application/json: invalid character 'x'") {
		t.Errorf("transcript of a bad JSON body:\n%s", tr)
	}
	if tr := steptest.Transcript(res, 6); !strings.Contains(tr, "body cut at max_body (1 KiB)") {
		t.Errorf("transcript of the cut body:\n%s", tr)
	}
	steptest.Failure(t, res, 7, "GET http://"+srv.addr()+"/short: 200 OK: the server closed the connection in the middle of the body (10 bytes received)")
}

func TestSilentServers(t *testing.T) {
	srv := newServer(t, nil)
	raw := steptest.Serve(t, nil, steptest.ListenToEnd())
	garbage := steptest.ServeEach(t, func(c net.Conn) {
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if line == "\r\n" {
				break
			}
		}
		_, _ = io.WriteString(c, "SSH-2.0-OpenSSH_9.6\r\n")
		_, _ = io.Copy(io.Discard, c)
	})
	hangup := steptest.ServeEach(t, func(c net.Conn) {
		r := bufio.NewReader(c)
		for {
			if line, err := r.ReadString('\n'); err != nil || line == "\r\n" {
				return
			}
		}
	})
	res := harness(t).Run("", `
name: silent
steps:
  - connect: http://SRV
  - fetch: /hang
    timeout: 200ms
    continue: true
  - fetch: /trickle
    timeout: 200ms
    continue: true
  - connect: http://RAW
  - fetch: /
    timeout: 200ms
    continue: true
  - connect: http://GARBAGE
  - fetch: /
    continue: true
  - connect: http://HANGUP
  - fetch: /
`, "SRV", srv.addr(), "RAW", raw, "GARBAGE", garbage, "HANGUP", hangup)
	// What the server did or did not send in time fails the check.
	steptest.Check(t, res, P, F, F, P, F, P, F, P, F)
	steptest.Failure(t, res, 9, "GET http://"+hangup+"/: the server closed the connection without a complete response")
	steptest.Failure(t, res, 2, "GET http://"+srv.addr()+"/hang: no response within the step timeout", "step timeout 200ms exceeded")
	steptest.Failure(t, res, 3, "/trickle: 200 OK: the body did not end within the step timeout (7 bytes received)")
	steptest.Failure(t, res, 5, "GET http://"+raw+"/: no response within the step timeout")
	steptest.Failure(t, res, 7, "the answer is not HTTP")
}

func TestRedirects(t *testing.T) {
	srv := newServer(t, nil)
	res := harness(t).Run("", `
name: redirects
steps:
  - connect: http://ADDR
  - fetch: /redirect/3
    assert: [result.status == 200, result.redirects == 3, result.url == "http://ADDR/echo", result.json.path == "/echo"]
  - fetch: { path: /redirect/3, follow_redirects: false }
    assert: [result.status == 302, result.headers.Location == "/redirect/2", result.redirects == 0]
  - fetch: /loop
    continue: true
  - fetch: /redirect/11
    continue: true
  - fetch: /redirect/10
    assert: result.redirects == 10
  - connect: http://ADDR
    follow_redirects: false
  - fetch: /redirect/1
    assert: result.status == 302
  - fetch: { path: /redirect/1, follow_redirects: '{{ 1 == 1 }}' }
    assert: result.status == 200
`, "ADDR", srv.addr())
	steptest.Check(t, res, P, P, P, E, E, P, P, P, P)
	steptest.Failure(t, res, 4, "GET /loop: redirect loop: http://"+srv.addr()+"/loop leads back to http://"+srv.addr()+"/loop")
	steptest.Failure(t, res, 5, "stopped after 10 redirects (the next to http://"+srv.addr()+"/echo)")
	if tr := steptest.Transcript(res, 2); strings.Count(tr, `< "HTTP/1.1 302 Found\r\n"`) != 3 {
		t.Errorf("transcript of the redirects:\n%s", tr)
	}
}

func TestAuthIsRedacted(t *testing.T) {
	srv := newServer(t, nil)
	res := harness(t).Run("", `
name: auth
secrets:
  password: 'pa ss:word'
  token: s3cr3t-token
steps:
  - connect: http://ADDR
    auth: { user: alice, password: '{{ password }}', mechanism: Basic }
  - fetch: /echo
    assert: result.json.headers.Authorization == "Basic YWxpY2U6cGEgc3M6d29yZA=="
  - send: { path: /echo, headers: { Authorization: 'Bearer {{ token }}' }, json: { token: '{{ token }}' } }
    assert: result.json.headers.Authorization == "Bearer nope"
`, "ADDR", srv.addr())
	steptest.Check(t, res, P, P, F)
	all := steptest.Transcript(res, 2) + steptest.Transcript(res, 3)
	for _, leak := range []string{"YWxpY2U6cGEgc3M6d29yZA", "pa ss:word", "s3cr3t-token"} {
		if strings.Contains(all, leak) {
			t.Errorf("transcript shows %q:\n%s", leak, all)
		}
	}
	if !strings.Contains(all, `"Authorization: Basic ***\r\n"`) || !strings.Contains(all, `"Authorization: Bearer ***\r\n"`) {
		t.Errorf("transcript:\n%s", all)
	}
	f := steptest.Failure(t, res, 3, "assertion failed")
	for _, o := range f.Operands {
		if strings.Contains(o.Value, "s3cr3t") {
			t.Errorf("operand shows the secret: %+v", o)
		}
	}
}

func TestConnectFailures(t *testing.T) {
	res := harness(t).Run("", `
name: refused
steps:
  - connect: http://ADDR
    continue: true
  - connect: http://netrun-test.invalid
    continue: true
  - connect: 'http://{{ "127.0.0.1" }}:0'
`, "ADDR", steptest.ClosedPort(t))
	steptest.Check(t, res, E, E, E)
	steptest.Failure(t, res, 1, "connection refused by 127.0.0.1:", "nothing is listening")
	steptest.Failure(t, res, 2, `cannot resolve host "netrun-test.invalid"`)
	steptest.Failure(t, res, 3, `port "0" must be a number from 1 to 65535`)
}
