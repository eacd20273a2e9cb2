package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// webClient is an HTTP client of the sandbox's http and https services,
// verifying TLS against the sandbox CA, that does not follow redirects.
func webClient(t *testing.T, s *Sandbox) *http.Client {
	t.Helper()
	tr := &http.Transport{TLSClientConfig: clientTLS(t, s, "localhost")}
	t.Cleanup(tr.CloseIdleConnections)
	// Not a timing assertion: only keeps a broken server from hanging the test.
	return &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// call makes a request and returns the status and the body parsed as JSON
// (nil when it is not JSON).
func call(t *testing.T, c *http.Client, method, u, ctype, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if json.Unmarshal(data, &v) != nil {
		v = map[string]any{"text": string(data)}
	}
	return resp.StatusCode, v
}

func TestWebSMS(t *testing.T) {
	s := newSandbox(t, Options{})
	c := webClient(t, s)
	base := "http://" + address(t, s, "http")
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	const ctype = "application/x-www-form-urlencoded"
	ok := form("account", "alice", "password", "secret", "mobile", "13800138000", "content", "您的验证码是：1234")

	st, v := call(t, c, "POST", base+"/sms", ctype, ok)
	if st != 200 || v["code"] != 2.0 || v["msg"] != "submitted" || !regexp.MustCompile(`^\d{17}$`).MatchString(v["smsid"].(string)) {
		t.Fatalf("submit: %d %v", st, v)
	}
	id := v["smsid"].(string)
	if _, v2 := call(t, c, "POST", base+"/sms", ctype, ok); v2["smsid"] == id {
		t.Errorf("two messages got the smsid %s", id)
	}
	st, v = call(t, c, "GET", base+"/sms/"+id, "", "")
	if st != 200 || v["content"] != "您的验证码是：1234" || v["mobile"] != "13800138000" || v["account"] != "alice" || v["status"] != "delivered" {
		t.Errorf("lookup: %d %v", st, v)
	}
	if st, v := call(t, c, "GET", base+"/sms/42", "", ""); st != 404 || v["code"] != 4041.0 {
		t.Errorf("unknown smsid: %d %v", st, v)
	}

	tests := []struct {
		body string
		code float64
		msg  string
	}{
		{form("password", "secret", "mobile", "13800138000", "content", "x"), 401, "account is required"},
		{form("account", "alice", "mobile", "13800138000", "content", "x"), 402, "password is required"},
		{form("account", "alice", "password", "secret", "content", "x"), 403, "mobile is required"},
		{form("account", "alice", "password", "secret", "mobile", "13800138000"), 404, "content is required"},
		{form("account", "alice", "password", "wrong", "mobile", "13800138000", "content", "x"), 405, "account or password is wrong"},
		{form("account", "carol", "password", "secret", "mobile", "13800138000", "content", "x"), 405, "account or password is wrong"},
		{form("account", "bob", "password", "secret", "mobile", "12345", "content", "x"), 406, "mobile number format is wrong"},
		{form("account", "bob", "password", "secret", "mobile", "13800138000", "content", strings.Repeat("长", 501)), 4073, "content is longer than 500 characters"},
	}
	for _, tt := range tests {
		st, v := call(t, c, "POST", base+"/sms", ctype, tt.body)
		if st != 200 || v["code"] != tt.code || !strings.HasPrefix(v["msg"].(string), tt.msg) || v["smsid"] != "0" {
			t.Errorf("%s: %d %v, want code %v %q", tt.body, st, v, tt.code, tt.msg)
		}
	}
	if st, v := call(t, c, "GET", base+"/sms", "", ""); st != 405 || v["code"] != 4050.0 {
		t.Errorf("GET /sms: %d %v", st, v)
	}
	if st, v := call(t, c, "POST", base+"/sms", ctype, strings.Repeat("a", 70<<10)); st != 200 || v["code"] != 4001.0 {
		t.Errorf("a form over 64 KiB: %d %v", st, v)
	}
}

func TestWebEndpoints(t *testing.T) {
	s := newSandbox(t, Options{})
	c := webClient(t, s)
	for _, service := range []string{"http", "https"} {
		scheme := service
		base := scheme + "://" + strings.Replace(address(t, s, service), "127.0.0.1", "localhost", 1)
		st, v := call(t, c, "PUT", base+"/echo?a=1&b=2&b=3", "application/json", `{"x":[1,2]}`)
		if st != 200 || v["method"] != "PUT" || v["path"] != "/echo" || v["body"] != `{"x":[1,2]}` {
			t.Errorf("%s echo: %d %v", service, st, v)
		}
		if q := v["query"].(map[string]any); q["a"] != "1" || len(q["b"].([]any)) != 2 {
			t.Errorf("%s echo query: %v", service, v["query"])
		}
		if j := v["json"].(map[string]any); len(j["x"].([]any)) != 2 {
			t.Errorf("%s echo json: %v", service, v["json"])
		}
		_, v = call(t, c, "POST", base+"/echo", "application/x-www-form-urlencoded", "mobile=138&tag=a&tag=b")
		if f := v["form"].(map[string]any); f["mobile"] != "138" || len(f["tag"].([]any)) != 2 || v["json"] != nil {
			t.Errorf("%s echo form: %v", service, v)
		}
		if st, _ := call(t, c, "POST", base+"/echo", "", strings.Repeat("x", echoMaxBody+1)); st != http.StatusRequestEntityTooLarge {
			t.Errorf("%s echo of a large body: %d", service, st)
		}
		if st, v := call(t, c, "GET", base+"/status/503", "", ""); st != 503 || v["text"] != "503 Service Unavailable\n" {
			t.Errorf("%s status: %d %v", service, st, v)
		}
		if st, _ := call(t, c, "GET", base+"/status/99", "", ""); st != 400 {
			t.Errorf("%s status 99: %d", service, st)
		}
		for n, want := range map[string]string{"3": "/redirect/2", "1": "/echo", "0": "/echo"} {
			req, _ := http.NewRequest("GET", base+"/redirect/"+n, nil)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 302 || resp.Header.Get("Location") != want {
				t.Errorf("%s redirect/%s: %d to %q", service, n, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
		if st, _ := call(t, c, "GET", base+"/redirect/21", "", ""); st != 400 {
			t.Errorf("%s redirect/21: %d", service, st)
		}
		if st, v := call(t, c, "GET", base+"/json", "", ""); st != 200 || v["name"] != "netrun sandbox" || v["version"] != 1.0 {
			t.Errorf("%s json: %d %v", service, st, v)
		}
		if st, v := call(t, c, "GET", base+"/slow?delay=1ms", "", ""); st != 200 || v["waited"] != "1ms" {
			t.Errorf("%s slow: %d %v", service, st, v)
		}
		if st, _ := call(t, c, "GET", base+"/slow?delay=1h", "", ""); st != 400 {
			t.Errorf("%s slow 1h: %d", service, st)
		}
	}
}

func TestWebSocketEcho(t *testing.T) {
	s := newSandbox(t, Options{})
	hc := webClient(t, s)
	ctx := context.Background()
	for _, u := range []string{
		"ws://" + address(t, s, "ws") + "/any/path",
		"wss://localhost:" + port(address(t, s, "wss")) + "/",
		"ws://" + address(t, s, "http") + "/ws",
		"wss://localhost:" + port(address(t, s, "https")) + "/ws",
	} {
		c, _, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPClient: hc, Subprotocols: []string{"chat"}})
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		if c.Subprotocol() != "chat" {
			t.Errorf("%s: subprotocol %q", u, c.Subprotocol())
		}
		c.SetReadLimit(2 << 20)
		for _, m := range []struct {
			typ  websocket.MessageType
			data []byte
		}{{websocket.MessageText, []byte("hello")}, {websocket.MessageBinary, []byte{0, 1, 0xff}}, {websocket.MessageText, bytes.Repeat([]byte("x"), 1<<20)}} {
			if err := c.Write(ctx, m.typ, m.data); err != nil {
				t.Fatal(err)
			}
			typ, data, err := c.Read(ctx)
			if err != nil || typ != m.typ || !bytes.Equal(data, m.data) {
				t.Errorf("%s: echo of %d bytes: %v %d bytes, %v", u, len(m.data), typ, len(data), err)
			}
		}
		if err := c.Write(ctx, websocket.MessageText, []byte("close")); err != nil {
			t.Fatal(err)
		}
		_, _, err = c.Read(ctx)
		var ce websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != websocket.StatusNormalClosure || ce.Reason != "bye" {
			t.Errorf("%s: close: %v", u, err)
		}
		c.CloseNow()
	}
	c, _, err := websocket.Dial(ctx, "ws://"+address(t, s, "ws"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if err := c.Write(ctx, websocket.MessageBinary, make([]byte, wsMaxMessage+1)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Read(ctx); websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
		t.Errorf("a message over 1 MiB: %v, want close 1009", err)
	}
}

// port returns the port of host:port.
func port(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

// TestWebCloseStops checks that Close ends requests in flight, idle
// keep-alive connections and WebSockets, and every goroutine.
func TestWebCloseStops(t *testing.T) {
	base := runtime.NumGoroutine()
	s := New(Options{})
	c := webClient(t, s)
	httpAddr := address(t, s, "http")
	if st, _ := call(t, c, "GET", "http://"+httpAddr+"/json", "", ""); st != 200 {
		t.Fatal(st)
	}
	ws, _, err := websocket.Dial(context.Background(), "wss://localhost:"+port(address(t, s, "wss")), &websocket.DialOptions{HTTPClient: c})
	if err != nil {
		t.Fatal(err)
	}
	slow := make(chan error, 1)
	go func() {
		resp, err := c.Get("http://" + httpAddr + "/slow?delay=10s&group=closing")
		if err == nil {
			resp.Body.Close()
		}
		slow <- err
	}()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-slow; err == nil {
		t.Error("the /slow request got an answer after Close")
	}
	if _, _, err := ws.Read(context.Background()); err == nil {
		t.Error("the WebSocket still reads after Close")
	}
	ws.CloseNow()
	c.Transport.(*http.Transport).CloseIdleConnections()
	waitGoroutines(t, base)
}

// seedSMSClient is the seed course's SMS client (seeds/003), unchanged but
// for the host and port, which it takes from argv.
const seedSMSClient = `
import http.client, sys, urllib.parse
host, port = sys.argv[1], int(sys.argv[2])
sms_send_uri = "/webservice/sms.php?method=Submit"
account = "alice"
password = "secret"
def send_sms(text, mobile):
    params = urllib.parse.urlencode(
        {'account': account, 'password': password, 'content': text, 'mobile': mobile, 'format': 'json'})
    headers = {"Content-type": "application/x-www-form-urlencoded", "Accept": "text/plain"}
    conn = http.client.HTTPConnection(host, port=port, timeout=30)
    conn.request("POST", sms_send_uri, params, headers)
    response = conn.getresponse()
    response_str = response.read()
    conn.close()
    return response_str
if __name__ == '__main__':
    mobile = "18566666666"
    text = "您的验证码是：121254。请不要把验证码泄露给其他人。"
    print(send_sms(text, mobile).decode())
`

// TestWebSMSSeedPath checks the seed course's path and API shape: its own
// client gets code 2 and an smsid; without format=json the answer is the
// gateway's XML; another method than Submit is refused.
func TestWebSMSSeedPath(t *testing.T) {
	s := newSandbox(t, Options{})
	c := webClient(t, s)
	addr := address(t, s, "http")
	base := "http://" + addr
	if python, err := exec.LookPath("python3"); err == nil {
		host, port, _ := net.SplitHostPort(addr)
		out, err := exec.Command(python, "-c", seedSMSClient, host, port).CombinedOutput()
		var v map[string]any
		if err != nil || json.Unmarshal(out, &v) != nil || v["code"] != 2.0 || !regexp.MustCompile(`^\d{17}$`).MatchString(v["smsid"].(string)) {
			t.Fatalf("the seed's client: %v\n%s", err, out)
		}
		if st, got := call(t, c, "GET", base+"/sms/"+v["smsid"].(string), "", ""); st != 200 || got["mobile"] != "18566666666" {
			t.Errorf("lookup of the seed's message: %d %v", st, got)
		}
	} else if os.Getenv("CI") != "" {
		t.Fatalf("python3 is needed to run the seed's SMS client and CI is set: %v", err)
	}
	const ctype = "application/x-www-form-urlencoded"
	form := "account=bob&password=secret&mobile=13800138000&content=hi"
	st, v := call(t, c, "POST", base+"/webservice/sms.php?method=Submit&format=json", ctype, form)
	if st != 200 || v["code"] != 2.0 || v["msg"] != "submitted" {
		t.Errorf("format=json in the query: %d %v", st, v)
	}
	st, v = call(t, c, "POST", base+"/webservice/sms.php?method=Submit", ctype, form)
	x := v["text"].(string)
	if st != 200 || !strings.HasPrefix(x, "<?xml") || !regexp.MustCompile(`<SubmitResult xmlns="http://106.ihuyi.com/"><code>2</code><msg>submitted</msg><smsid>\d{17}</smsid></SubmitResult>`).MatchString(x) {
		t.Errorf("XML answer: %d %q", st, x)
	}
	st, v = call(t, c, "POST", base+"/webservice/sms.php?method=Submit&format=json", ctype, "account=bob&password=wrong&mobile=13800138000&content=hi")
	if st != 200 || v["code"] != 405.0 || v["smsid"] != "0" {
		t.Errorf("wrong password: %d %v", st, v)
	}
	st, v = call(t, c, "POST", base+"/webservice/sms.php?method=GetNum&format=json", ctype, form)
	if st != 200 || v["code"] != 4050.0 {
		t.Errorf("method GetNum: %d %v", st, v)
	}
	if st, v = call(t, c, "GET", base+"/webservice/sms.php?method=Submit&format=json", "", ""); st != 405 || v["code"] != 4050.0 {
		t.Errorf("GET: %d %v", st, v)
	}
}
