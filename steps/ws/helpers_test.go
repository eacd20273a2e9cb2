package ws_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/ws"
)

const (
	P = engine.Passed
	F = engine.Failed
	E = engine.Errored
	S = engine.Skipped
)

// harness loads and runs scenarios with the ws plugin.
func harness(t *testing.T) *steptest.Harness {
	t.Helper()
	return steptest.New(t, ws.Plugin{})
}

// newServer starts a WebSocket test server on 127.0.0.1:0, with TLS when
// cfg is set, and returns its host:port. Its paths:
//
//	/echo     echoes every message; the text "close" gets a close frame
//	          1000 "bye", "big" a text message of 2 KiB, and the first
//	          message is "hello X-Token Origin subprotocol"
//	/silent   reads, and never sends
//	/drop     ends the TCP connection without a close frame after the
//	          first message
//	/moved    answers 302 to /echo
//	/reject   answers 403 Forbidden
func newServer(t *testing.T, cfg *tls.Config) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"chat"}, InsecureSkipVerify: true})
		if err != nil {
			return
		}
		defer c.CloseNow()
		ctx := r.Context()
		hello := fmt.Sprintf("hello %s %s %s", r.Header.Get("X-Token"), r.Header.Get("Origin"), c.Subprotocol())
		if err := c.Write(ctx, websocket.MessageText, []byte(strings.TrimSpace(hello))); err != nil {
			return
		}
		for {
			typ, data, err := c.Read(ctx)
			if err != nil {
				return
			}
			switch {
			case typ == websocket.MessageText && string(data) == "close":
				_ = c.Close(websocket.StatusNormalClosure, "bye")
				return
			case typ == websocket.MessageText && string(data) == "big":
				data = []byte(strings.Repeat("b", 2048))
			}
			if err := c.Write(ctx, typ, data); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/silent", func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		for {
			if _, _, err := c.Read(r.Context()); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/drop", func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		_, _, _ = c.Read(context.Background())
		_ = c.CloseNow()
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/echo", http.StatusFound)
	})
	mux.HandleFunc("/reject", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "forbidden", http.StatusForbidden)
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if cfg != nil {
		srv.TLS = cfg
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	return srv.Listener.Addr().String()
}
