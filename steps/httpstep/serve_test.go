package httpstep_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	httpstep "github.com/netrunhq/netrun/steps/httpstep"
	"github.com/netrunhq/netrun/steps/program"
	"github.com/netrunhq/netrun/steps/tcp"
)

// pyClient is a Python http.client program: a form POST and a GET on one
// kept-alive connection (over TLS with CA and NAME set), each answer
// printed on a line: status, the X-Test header, the body.
const pyClient = `
import http.client, os, ssl, urllib.parse
host, port = "127.0.0.1", int(os.environ["PORT"])
if os.environ.get("CA"):
    ctx = ssl.create_default_context(cafile=os.environ["CA"])
    ctx.check_hostname = False  # 127.0.0.1 is not the name; checked below
    conn = http.client.HTTPSConnection(host, port, context=ctx, timeout=10)
else:
    conn = http.client.HTTPConnection(host, port, timeout=10)
form = urllib.parse.urlencode({"mobile": "13800138000", "content": "你好 netrun"})
conn.request("POST", "/sms?x=1&y=%E4%BD%A0", body=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
r = conn.getresponse()
print(r.status, r.getheader("X-Test"), r.read().decode("utf-8"))
conn.request("GET", "/json")
r = conn.getresponse()
print(r.status, r.getheader("Content-Type"), r.read().decode("utf-8"))
`

func needPython(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not found")
	}
}

// TestListenAnswer checks the scripted HTTP server against Python's
// http.client: accept gives the request (method, path, query, form,
// headers, body), send with a status answers it, and the next request on
// the same connection is accepted in turn.
func TestListenAnswer(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	steptest.WriteFile(t, dir, "client.py", []byte(pyClient))
	res := steptest.New(t, httpstep.Plugin{}, program.New()).Run(dir, `
name: serve
steps:
  - listen: http://127.0.0.1:0
    id: srv
    as: srv
  - spawn: { run: [python3, client.py], env: { PORT: '{{ steps.srv.port }}' } }
    as: client
  - accept: true
    on: srv
    as: req
    assert:
      - result.method == "POST"
      - result.path == "/sms"
      - 'result.query.x == "1" && result.query.y == "你" && len(result.query) == 2'
      - result.raw_query == "x=1&y=%E4%BD%A0"
      - result.form.mobile == "13800138000"
      - result.form.content == "你好 netrun"
      - result.headers["Content-Type"] == "application/x-www-form-urlencoded"
      - result.remote startsWith "127.0.0.1:"
  - send: { status: 201, headers: { X-Test: yes }, body: created 你好 }
    on: req
    assert: result.bytes == 14
  - send: { status: 200, body: again }
    on: req
    continue: true
  - accept: true
    on: srv
    as: req2
    assert: ['result.method == "GET"', 'result.path == "/json"', 'result.body == ""']
  - send: { status: 200, json: { code: 2, smsid: "42" } }
    on: req2
  - expect: { stdout: { line: true, equals: 201 yes created 你好 } }
    on: client
  - expect: { stdout: { line: true, equals: '200 application/json {"code":2,"smsid":"42"}' } }
    on: client
  - expect: { exit: 0 }
    on: client
`)
	steptest.Check(t, res, P, P, P, P, E, P, P, P, P, P)
	steptest.Failure(t, res, 5, "answered already")
	if tr := steptest.Transcript(res, 3); !strings.Contains(tr, "POST /sms?x=1&y=%E4%BD%A0 HTTP/1.1") {
		t.Errorf("the accept transcript lacks the request line:\n%s", tr)
	}
	if tr := steptest.Transcript(res, 4); !strings.Contains(tr, "HTTP/1.1 201 Created") || !strings.Contains(tr, "created 你好") {
		t.Errorf("the send transcript lacks the answer:\n%s", tr)
	}
}

// TestListenTLSAndCaps checks https with a generated certificate, a body
// over max_body (accept fails, the client gets 400), a request closed
// unanswered (500), and the load errors.
func TestListenTLSAndCaps(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	steptest.WriteFile(t, dir, "client.py", []byte(pyClient))
	h := steptest.New(t, httpstep.Plugin{}, program.New())
	res := h.Run(dir, `
name: caps
steps:
  - listen: https://127.0.0.1:0
    tls: { generate: { name: sms.test } }
    max_body: 10
    id: srv
    as: srv
  - spawn: { run: [python3, client.py], env: { PORT: '{{ steps.srv.port }}', CA: '{{ steps.srv.ca }}' } }
    as: client
  - accept: true
    on: srv
    continue: true
  - accept: true
    on: srv
    as: req2
    assert: result.tls != nil
  - close: req2
  - expect: { stdout: { line: true, match: '^400 None .*larger than max_body' } }
    on: client
  - expect: { stdout: { line: true, match: '^500 text/plain; charset=utf-8 netrun: no send step answered' } }
    on: client
`)
	steptest.Check(t, res, P, P, F, P, P, P, P)
	steptest.Failure(t, res, 3, "the body is larger than max_body (10 bytes)")
	for _, i := range []int{3, 4} {
		if tr := steptest.Transcript(res, i); strings.Count(tr, "* TLS 1.3") != 1 {
			t.Errorf("accept %d's transcript lacks one note of its TLS session:\n%s", i, tr)
		}
	}
	for _, tc := range []struct{ src, want string }{
		{"listen: http://127.0.0.1:0\n    tls: { generate: { name: x } }", "tls options go with https://"},
		{"listen: https://127.0.0.1:0", "a tls listener needs"},
		{"listen: http://127.0.0.1:0\n    as: s\n  - accept: true\n    on: s\n    as: r\n  - send: { status: 99 }\n    on: r", "status must be a code from 100 to 599"},
		{"listen: http://127.0.0.1:0\n    as: s\n  - accept: true\n    on: s\n    as: r\n  - send: { status: 200, body: a, json: 1 }\n    on: r", "give one body"},
	} {
		errs := strings.Join(h.LoadErrors("name: x\nsteps:\n  - "+tc.src+"\n"), "\n")
		if !strings.Contains(errs, tc.want) {
			t.Errorf("%s: errors %q lack %q", tc.src, errs, tc.want)
		}
	}
}

// TestListenRefusedCertificate checks that a client refusing the
// listener's certificate fails the waiting accept step at once, saying
// which client broke off and why, as on a tls:// listener; before, the
// step waited until its timeout.
func TestListenRefusedCertificate(t *testing.T) {
	h := steptest.New(t, httpstep.Plugin{})
	res := h.Run(t.TempDir(), `
name: refused
steps:
  - listen: https://127.0.0.1:0
    tls: { generate: { name: sms.test } }
    id: srv
    as: srv
  - connect: 'https://127.0.0.1:{{ steps.srv.port }}'
    continue: true
  - accept: true
    on: srv
    timeout: 1m
`)
	steptest.Check(t, res, P, E, E)
	steptest.Failure(t, res, 2, "handshake with 127.0.0.1:")
	steptest.Failure(t, res, 3, "failed the handshake (the client broke it off: did it refuse the certificate?): tls: the peer rejected our certificate")
}

// TestListenRawRequests checks what a client that writes HTTP by hand
// gets when its request is wrong: a request the HTTP server refuses on
// its own (no Host header) and half a request (no empty line after the
// headers), left open or closed, fail the accept step with the bytes the
// client sent, instead of "no request came"; a right one still comes.
func TestListenRawRequests(t *testing.T) {
	h := steptest.New(t, httpstep.Plugin{}, tcp.Plugin{})
	for _, tc := range []struct {
		name, send, then string
		want             []string
	}{
		{"no host", `"GET /x HTTP/1.1\r\nUser-Agent: student\r\n\r\n"`, "",
			[]string{"sent a request the HTTP server refused: 400 Bad Request: missing required Host header", `"GET /x HTTP/1.1\r\nUser-Agent: student\r\n\r\n"`}},
		{"bad request line", `"HELLO\r\n\r\n"`, "",
			[]string{"sent a request the HTTP server refused: 400 Bad Request", `"HELLO\r\n\r\n"`}},
		{"half, left open", `"GET / HTTP/1.1\r\nHost: a\r\n"`, "",
			[]string{"no request came to 127.0.0.1:", "sent part of one (no empty line ends its headers?)", `"GET / HTTP/1.1\r\nHost: a\r\n"`}},
		{"half, closed", `"GET / HTTP/1.1\r\nHost: a\r\n"`, "\n  - close: raw",
			[]string{"closed its connection after sending part of a request", `"GET / HTTP/1.1\r\nHost: a\r\n"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := h.Run("", `
name: raw
steps:
  - listen: http://127.0.0.1:0
    id: srv
    as: srv
  - connect: 'tcp://127.0.0.1:{{ steps.srv.port }}'
    as: raw
  - send: `+tc.send+tc.then+`
  - accept: true
    on: srv
    timeout: 1s
`)
			n := len(res.Steps)
			f := steptest.Failure(t, res, n, tc.want[:len(tc.want)-1]...)
			if raw := tc.want[len(tc.want)-1]; f.Received != raw {
				t.Errorf("received %s, want %s", f.Received, raw)
			}
			if got := res.Steps[n-1].Status; got != engine.Failed {
				t.Errorf("accept: %s, want a failure", got)
			}
		})
	}
	res := h.Run("", `
name: right
steps:
  - listen: http://127.0.0.1:0
    id: srv
    as: srv
  - connect: 'tcp://127.0.0.1:{{ steps.srv.port }}'
    as: raw
  - send: "POST /ok HTTP/1.1\r\nhost: a\r\ncontent-length: 5\r\n\r\nhello"
  - accept: true
    on: srv
    assert: result.path == "/ok" && result.body == "hello"
  - send: { status: 204 }
  - expect: { line: true, equals: HTTP/1.1 204 No Content }
    on: raw
  - send: "NOPE\r\n\r\n"
    on: raw
  - accept: true
    on: srv
    continue: true
  - connect: 'tcp://127.0.0.1:{{ steps.srv.port }}'
    as: quiet
  - send: "GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
  - accept: true
    on: srv
  - send: { status: 200, body: hi }
  - close: quiet
  - accept: true
    on: srv
    timeout: 300ms
`)
	steptest.Check(t, res, P, P, P, P, P, P, P, F, P, P, P, P, P, E)
	// The transcript shows the request as the client sent it.
	if tr := steptest.Transcript(res, 4); !strings.Contains(tr, "host: a") || !strings.Contains(tr, "content-length: 5") {
		t.Errorf("accept's transcript is not what the client sent:\n%s", tr)
	}
	steptest.Failure(t, res, 8, "sent a request the HTTP server refused: 400 Bad Request")
	if f := steptest.Failure(t, res, 14, "no request came to"); strings.Contains(f.Message, "part") {
		t.Errorf("a client that closed after its answer sent part of a request: %s", f.Message)
	}
	// A request sent while the one before is handled: net/http's
	// background read takes its first byte, which the transcript and a
	// refusal must still show.
	res = h.Run("", `
name: next at once
steps:
  - listen: http://127.0.0.1:0
    id: srv
    as: srv
  - connect: 'tcp://127.0.0.1:{{ steps.srv.port }}'
    as: raw
  - send: "GET /a HTTP/1.1\r\nhost: a\r\n\r\n"
  - accept: true
    on: srv
    as: req
  - send: "GET /b HTTP/1.1\r\nhost: a\r\n\r\n"
    on: raw
  - sleep: 200ms
  - send: { status: 204 }
    on: req
  - accept: true
    on: srv
    as: req2
  - send: "GET /c HTTP/1.1\r\n\r\n"
    on: raw
  - sleep: 200ms
  - send: { status: 204 }
    on: req2
  - accept: true
    on: srv
`)
	steptest.Check(t, res, P, P, P, P, P, P, P, P, P, P, P, F)
	if tr := steptest.Transcript(res, 8); !strings.Contains(tr, `"GET /b HTTP/1.1\r\n"`) || !strings.Contains(tr, "host: a") {
		t.Errorf("the second request's transcript is not what the client sent:\n%s", tr)
	}
	if f := steptest.Failure(t, res, 12, "refused: 400 Bad Request: missing required Host header"); f.Received != `"GET /c HTTP/1.1\r\n\r\n"` {
		t.Errorf("received %s", f.Received)
	}
}

// TestListenTranscriptCap checks that an accepted request's body and an
// answer's, each larger than the transcript's budget (tapBudget, 64 KiB),
// are cut in the transcript with a note of what was not shown, as a
// client's are; the client still gets them whole.
func TestListenTranscriptCap(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	steptest.WriteFile(t, dir, "client.py", []byte(`
import http.client, os
conn = http.client.HTTPConnection("127.0.0.1", int(os.environ["PORT"]), timeout=10)
conn.request("POST", "/big", body=b"a" * 100000)
r = conn.getresponse()
print(r.status, len(r.read()))
`))
	steptest.WriteFile(t, dir, "big.txt", []byte(strings.Repeat("b", 100000)))
	res := steptest.New(t, httpstep.Plugin{}, program.New()).Run(dir, `
name: cap
steps:
  - listen: http://127.0.0.1:0
    id: srv
    as: srv
  - spawn: { run: [python3, client.py], env: { PORT: '{{ steps.srv.port }}' } }
    as: client
  - accept: true
    on: srv
    as: req
    assert: len(result.body) == 100000
  - send: { status: 200, file: big.txt }
    on: req
    assert: result.bytes == 100000
  - expect: { stdout: { line: true, equals: 200 100000 } }
    on: client
`)
	steptest.Check(t, res, P, P, P, P, P)
	for _, c := range []struct {
		step       int
		body, note string
	}{{3, "a", "more received, not shown"}, {4, "b", "more sent, not shown"}} {
		tr := steptest.Transcript(res, c.step)
		if n := strings.Count(tr, c.body); n > 64<<10 || !strings.Contains(tr, c.note) {
			t.Errorf("step %d's transcript shows %d bytes of the body; want at most 64 KiB and %q", c.step, n, c.note)
		}
	}
}
