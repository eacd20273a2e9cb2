package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
)

// failure is a check failure that also wraps the error that ended the
// wait (the step's deadline), so that the engine can name it.
type failure struct {
	m     *engine.Mismatch
	cause error
}

func (f *failure) Error() string   { return f.m.Msg }
func (f *failure) Unwrap() []error { return []error{f.m, f.cause} }

// Fail returns a check failure (engine.Mismatch) with the text of format,
// which wraps cause as well: a peer that said nothing in time fails the
// check, and the step's timeout is still named.
func Fail(cause error, format string, args ...any) error {
	return &failure{m: &engine.Mismatch{Msg: fmt.Sprintf(format, args...)}, cause: cause}
}

// HTTPResponseError says in words why an HTTP response (or a WebSocket
// handshake's) did not come, for what ("GET http://host/"), from the
// error of net/http. What the server did or did not send in time is a
// check failure: no response within the step's timeout, a close before
// the response was complete, an answer that is not HTTP, response headers
// over the cap. Other errors (refused, reset, TLS, interrupted) are
// errors. connected says whether a connection was made: a timeout before
// that is an error, as a connect timeout is.
func HTTPResponseError(ctx context.Context, what string, err error, connected bool) error {
	text := err.Error()
	switch {
	case ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("%s: interrupted: %w", what, ctx.Err())
	case ctx.Err() != nil && connected:
		return Fail(ctx.Err(), "%s: no response within the step timeout", what)
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
