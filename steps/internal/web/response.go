package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/netconn"
)

// ResponseError says in words why an HTTP response (or a WebSocket
// handshake's) did not come, for what ("GET http://host/"), from the
// error of net/http. What the server did or did not send in time is a
// check failure: no response within the step's timeout, a close before
// the response was complete, an answer that is not HTTP, response headers
// over the cap. Other errors (refused, reset, TLS, interrupted) are
// errors. connected says whether a connection was made: a timeout before
// that is an error, as a connect timeout is.
func ResponseError(ctx context.Context, what string, err error, connected bool) error {
	text := err.Error()
	switch {
	case ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("%s: interrupted: %w", what, ctx.Err())
	case ctx.Err() != nil && connected:
		return netconn.Fail(ctx.Err(), "%s: no response within the step timeout", what)
	case ctx.Err() != nil:
		return fmt.Errorf("%s: no connection within the step timeout: %w", what, ctx.Err())
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return &engine.Mismatch{Msg: fmt.Sprintf("%s: the server closed the connection without a complete response", what)}
	case strings.Contains(text, "malformed HTTP"):
		return &engine.Mismatch{Msg: fmt.Sprintf("%s: the answer is not HTTP%s", what, quotedPart(text))}
	case strings.Contains(text, "response headers exceeded"):
		return &engine.Mismatch{Msg: fmt.Sprintf("%s: the response headers are larger than the cap%s", what, capPart(text))}
	case strings.Contains(text, "readLoopPeekFailLocked"):
		return &engine.Mismatch{Msg: fmt.Sprintf("%s: the server sent data before the request, or closed the connection (is it an HTTP server?)", what)}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// quotedPart returns ": it begins "..."" from net/http's message that
// quotes the start of what it received, or "".
func quotedPart(text string) string {
	if i := strings.IndexByte(text, '"'); i >= 0 {
		q := text[i:]
		if len(q) > 100 {
			q = q[:100] + `…"`
		}
		return ": it begins " + q
	}
	return ""
}

// capPart returns " of N" from net/http's "exceeded N bytes", or "".
func capPart(text string) string {
	var n int
	if i := strings.Index(text, "exceeded "); i >= 0 {
		if _, err := fmt.Sscanf(text[i:], "exceeded %d bytes", &n); err == nil {
			return " of " + bytesize.Format(n)
		}
	}
	return ""
}
