package sandbox

import (
	"io"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"
)

const (
	// webHeaderTimeout bounds the reading of a request's header.
	webHeaderTimeout = 10 * time.Second
	// webIdleTimeout closes a keep-alive connection without requests.
	webIdleTimeout = 2 * time.Minute
	// webMaxHeader bounds a request's header.
	webMaxHeader = 64 << 10
	// wsMaxMessage bounds a message the WebSocket echo takes.
	wsMaxMessage = 1 << 20
)

// serveWeb returns the serve function of an HTTP service, plain or TLS,
// signed by the sandbox CA: http and https serve the web API (webAPI), ws
// and wss the WebSocket echo on every path. It serves HTTP/1.1 until the
// listener is closed, then waits for its connections (WebSocket ones
// included) to end. Sandbox.Close closes every connection, which ends the
// contexts of the requests on them, so that handlers that wait (/slow, the
// WebSocket echo) return.
func serveWeb(handler func(s *Sandbox) http.Handler) func(s *Sandbox, l listener) {
	return func(s *Sandbox, l listener) {
		srv := &http.Server{
			Handler:           handler(s),
			ReadHeaderTimeout: webHeaderTimeout,
			IdleTimeout:       webIdleTimeout,
			MaxHeaderBytes:    webMaxHeader,
			ErrorLog:          log.New(io.Discard, "", 0),
		}
		cl := newConnListener(s, l, busyHTTP)
		_ = srv.Serve(cl) // returns once the listener is closed
		cl.wait()
		_ = srv.Close()
	}
}

// wsHandler is the handler of the ws and wss services: the WebSocket echo
// on every path.
func wsHandler(*Sandbox) http.Handler { return http.HandlerFunc(wsEcho) }

// wsEcho is the WebSocket echo: every message comes back with its type;
// the text message "close" gets a close frame 1000 "bye" instead. It
// offers the subprotocols echo and chat, and accepts any Origin.
func wsEcho(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		Subprotocols:       []string{"echo", "chat"},
		InsecureSkipVerify: true, // a sandbox: any Origin may connect
	})
	if err != nil {
		return // Accept answered the client already
	}
	defer c.CloseNow()
	c.SetReadLimit(wsMaxMessage)
	ctx := r.Context()
	for {
		typ, data, err := c.Read(ctx)
		if err != nil {
			return
		}
		if typ == websocket.MessageText && strings.TrimSpace(string(data)) == "close" {
			_ = c.Close(websocket.StatusNormalClosure, "bye")
			return
		}
		if err := c.Write(ctx, typ, data); err != nil {
			return
		}
	}
}
