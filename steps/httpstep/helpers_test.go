package httpstep_test

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	httpstep "github.com/netrunhq/netrun/steps/httpstep"
)

const (
	P = engine.Passed
	F = engine.Failed
	E = engine.Errored
	S = engine.Skipped
)

// harness loads and runs scenarios with the http plugin.
func harness(t *testing.T) *steptest.Harness {
	t.Helper()
	return steptest.New(t, httpstep.Plugin{})
}

// server is a scripted HTTP server on 127.0.0.1:0.
type server struct {
	*httptest.Server
	// conns counts the connections the server accepted.
	conns atomic.Int32
}

// newServer starts the test server, with TLS when cfg is set. Its
// endpoints:
//
//	/echo          JSON of the request: method, path, query, headers, form, body
//	/text          text/plain "Internal error" with status ?status (default 200)
//	/status/N      status N, text body
//	/redirect/N    302 to /redirect/N-1, and /redirect/0 to /echo
//	/loop          302 to /loop
//	/big?n=N       N bytes of x
//	/cookie/set    sets the cookie session=abc; /cookie echoes it
//	/hang          headers never come, until the client goes
//	/trickle       headers and a little body, then nothing until the client goes
//	/short         a Content-Length of 100 and 10 bytes, then the connection closes
func newServer(t *testing.T, cfg *tls.Config) *server {
	t.Helper()
	s := &server{}
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		h := map[string]string{}
		for k, v := range r.Header {
			h[k] = strings.Join(v, ", ")
		}
		form := url.Values{}
		if r.Header.Get("Content-Type") == "application/x-www-form-urlencoded" {
			form, _ = url.ParseQuery(string(body))
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"method": r.Method, "path": r.URL.Path, "query": r.URL.Query(),
			"headers": h, "host": r.Host, "form": form, "body": string(body)})
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		if st, err := strconv.Atoi(r.URL.Query().Get("status")); err == nil {
			w.WriteHeader(st)
		}
		fmt.Fprint(w, "Internal error")
	})
	mux.HandleFunc("/status/{code}", func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.PathValue("code"))
		w.WriteHeader(code)
		fmt.Fprintf(w, "%d %s\n", code, http.StatusText(code))
	})
	mux.HandleFunc("/redirect/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		to := fmt.Sprintf("/redirect/%d", n-1)
		if n <= 1 {
			to = "/echo"
		}
		http.Redirect(w, r, to, http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, strings.Repeat("x", n))
	})
	mux.HandleFunc("/cookie/set", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "abc", Path: "/"})
		http.SetCookie(w, &http.Cookie{Name: "theme", Value: "dark", Path: "/"})
	})
	mux.HandleFunc("/cookie", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("session")
		if err != nil {
			http.Error(w, "no cookie", http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, c.Value)
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	mux.HandleFunc("/trickle", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "partial")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	mux.HandleFunc("/short", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		_, _ = io.WriteString(w, "0123456789")
		w.(http.Flusher).Flush()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	})
	s.Server = httptest.NewUnstartedServer(mux)
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	if cfg != nil {
		s.TLS = cfg
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s
}

// addr is the server's host:port.
func (s *server) addr() string { return s.Listener.Addr().String() }
