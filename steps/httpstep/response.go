package httpstep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/web"
)

// Result is the result of send and fetch: the response.
type Result struct {
	// Status is the status code, such as 200; a 4xx or 5xx is a result
	// like any other, for assert to check.
	Status int `expr:"status" json:"status"`
	// StatusText is the reason phrase of the status line, such as "OK".
	StatusText string `expr:"status_text" json:"status_text"`
	// Headers maps each response header name, in canonical form
	// (Content-Type), to its values joined with ", " (Set-Cookie: with
	// "\n", since cookies hold commas).
	Headers map[string]string `expr:"headers" json:"headers"`
	// Body is the body as text, at most max_body bytes.
	Body string `expr:"body" json:"body"`
	// Truncated is true when the body was longer than max_body and Body
	// holds its first max_body bytes.
	Truncated bool `expr:"truncated" json:"truncated"`
	// JSON is the body parsed, when it is one JSON value (whatever the
	// Content-Type says): maps, lists, strings, bool, nil, int for whole
	// numbers, float64 for others. When the body is empty, not JSON or
	// truncated, it is a nil mapping, and the transcript says why:
	// `result.json == nil` holds, and `result.json.code` is nil instead of
	// an error, so that an assert on it fails and shows the value nil.
	JSON any `expr:"json" json:"json"`
	// URL is the URL of the response: the last one after redirects.
	URL string `expr:"url" json:"url"`
	// Redirects is the number of redirects followed.
	Redirects int `expr:"redirects" json:"redirects"`
	// Duration is the time from sending the request to the end of the
	// body, redirects included.
	Duration time.Duration `expr:"duration" json:"duration"`
}

// do sends req and reads its response, within ctx.
func (c *client) do(ctx context.Context, s *engine.Session, req *http.Request, red *redirects) (any, error) {
	defer c.tap.drain(s)
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.tap.drain(s)
		return nil, requestError(ctx, req, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, int64(c.maxBody)+1))
	if err != nil {
		c.tap.drain(s)
		return nil, bodyError(ctx, resp, len(body), err)
	}
	res := Result{
		Status:     resp.StatusCode,
		StatusText: strings.TrimSpace(strings.TrimPrefix(resp.Status, fmt.Sprint(resp.StatusCode))),
		Headers:    web.Joined(resp.Header),
		URL:        resp.Request.URL.String(),
		Redirects:  red.count,
		// Not JSON until parsed: a nil mapping, which expressions see as
		// nil and whose members are nil.
		JSON: map[string]any(nil),
	}
	c.tap.drain(s)
	if len(body) > c.maxBody {
		body = body[:c.maxBody]
		res.Truncated = true
		s.Note("body cut at max_body (%s): result.truncated is true and result.json nil", bytesize.Format(c.maxBody))
	}
	res.Body = string(body)
	res.Duration = time.Since(start)
	if !res.Truncated && len(body) > 0 {
		v, err := parseJSON(body)
		switch {
		case err == nil && v != nil:
			res.JSON = v
		case err == nil:
		case isJSON(resp.Header.Get("Content-Type")):
			s.Note("result.json is nil: the body is not valid JSON, though Content-Type is %s: %v", resp.Header.Get("Content-Type"), err)
		default:
			s.Note("result.json is nil: the body is not JSON (Content-Type %q)", resp.Header.Get("Content-Type"))
		}
	}
	return res, nil
}

// isJSON reports whether a content type is JSON: application/json or
// application/something+json.
func isJSON(ctype string) bool {
	mt, _, err := mime.ParseMediaType(ctype)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// requestError says why a request got no response.
func requestError(ctx context.Context, req *http.Request, err error) error {
	what := req.Method + " " + req.URL.String()
	var ue *url.Error
	if errors.As(err, &ue) {
		what, err = req.Method+" "+ue.URL, ue.Err
	}
	return web.ResponseError(ctx, what, err, true)
}

// bodyError says why the body could not be read; n bytes were.
func bodyError(ctx context.Context, resp *http.Response, n int, err error) error {
	what := fmt.Sprintf("%s %s: %d %s", resp.Request.Method, resp.Request.URL, resp.StatusCode, http.StatusText(resp.StatusCode))
	switch {
	case ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
		return netconn.Fail(ctx.Err(), "%s: the body did not end within the step timeout (%s received)", what, bytesize.Format(n))
	case ctx.Err() != nil:
		return fmt.Errorf("%s: interrupted while reading the body: %w", what, ctx.Err())
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &engine.Mismatch{Msg: fmt.Sprintf("%s: the server closed the connection in the middle of the body (%s received)", what, bytesize.Format(n))}
	}
	return fmt.Errorf("%s: reading the body: %w", what, err)
}
