package httpstep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/web"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// listenOptions are what listen takes beside the URL.
type listenOptions struct {
	// ListenOptions are tls (https): cert and key, or generate.
	web.ListenOptions `yaml:",inline"`
	// MaxBody bounds a request body, such as 1MiB (the default); a longer
	// one is answered 400 and fails accept.
	MaxBody engine.Template `yaml:"max_body"`
}

// server is a scripted HTTP server: accept takes the next request, and a
// send with a status answers it.
type server struct {
	*web.Listener
	maxBody int
}

// listenAction is a compiled listen step.
type listenAction struct {
	engine.Returns[netconn.ListenResult]
	web.ListenStep
	opts listenOptions
}

func decodeListen(d *engine.Decoder) (engine.TypedAction, error) {
	a := &listenAction{ListenStep: web.ListenStep{Secure: "https"}}
	err := a.Decode(d, &a.opts, &a.opts.ListenOptions, func(errs *wire.LoadErrors) {
		errs.Add(bytesize.Check(&a.opts.MaxBody, "max_body"))
	})
	return a, err
}

// Do binds the address and serves requests to accept steps.
func (a *listenAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	maxBody, err := bytesize.Eval(s, &a.opts.MaxBody, "max_body", DefaultMaxBody)
	if err != nil {
		return nil, err
	}
	wl, res, err := a.Open(ctx, s, nil)
	if err != nil {
		return nil, err
	}
	s.Open(ctx, &server{Listener: wl, maxBody: maxBody})
	return res, nil
}

// Request is the result of accept: the request received.
type Request struct {
	netconn.ConnectResult
	// Method is GET, POST, ...; Path the URL's path, decoded.
	Method string `expr:"method" json:"method"`
	Path   string `expr:"path" json:"path"`
	// Query maps each query parameter to its value, decoded (repeated
	// names: the values joined with ", "); RawQuery is the query as sent.
	Query    map[string]string `expr:"query" json:"query"`
	RawQuery string            `expr:"raw_query" json:"raw_query"`
	// Headers maps each header name, in canonical form, to its values
	// joined with ", ".
	Headers map[string]string `expr:"headers" json:"headers"`
	// Form is the body's fields when it is application/x-www-form-urlencoded.
	Form map[string]string `expr:"form" json:"form"`
	// Body is the body as text; JSON it parsed, when it is JSON (else a
	// nil mapping, as in a response's result).
	Body string `expr:"body" json:"body"`
	JSON any    `expr:"json" json:"json"`
}

// acceptAction takes the next request.
type acceptAction struct {
	engine.Returns[Request]
}

func decodeAccept(d *engine.Decoder) (engine.TypedAction, error) {
	return acceptAction{}, netconn.CheckAccept(d)
}

// Do waits for a request, reads its body within the step's deadline and
// opens it, for a send to answer.
func (acceptAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	srv, err := engine.TargetAs[*server](s)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	p, err := srv.Next(ctx, s)
	if err != nil {
		return nil, err
	}
	req := &request{p: p}
	res, err := readRequest(ctx, s, p, srv.maxBody, start)
	if err != nil {
		req.answer(s, http.StatusBadRequest, err.Error())
		return nil, err
	}
	s.Open(ctx, req)
	return res, nil
}

// readRequest reads p's body (at most maxBody) and makes the result.
func readRequest(ctx context.Context, s *engine.Session, p *web.Pending, maxBody int, start time.Time) (Request, error) {
	r := p.R
	var shown tap // what the transcript shows of the request, within tapBudget
	if head := p.Head; head != nil {
		shown.record(received, head)
	} else {
		var head strings.Builder
		fmt.Fprintf(&head, "%s %s %s\r\nHost: %s\r\n", r.Method, r.URL.RequestURI(), r.Proto, r.Host)
		_ = r.Header.Write(&head)
		shown.record(received, []byte(head.String()+"\r\n"))
	}
	rc := http.NewResponseController(p.W)
	if d, ok := ctx.Deadline(); ok {
		_ = rc.SetReadDeadline(d)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(maxBody)+1))
	_ = rc.SetReadDeadline(time.Time{})
	if err != nil {
		shown.drain(s)
		return Request{}, netconn.Fail(err, "%s %s: the body did not come whole within the step timeout (%d bytes received): %v", r.Method, r.URL.Path, len(body), err)
	}
	if len(body) > maxBody {
		shown.drain(s)
		return Request{}, &engine.Mismatch{Msg: fmt.Sprintf("%s %s: the body is larger than max_body (%s)", r.Method, r.URL.Path, bytesize.Format(maxBody))}
	}
	shown.record(received, body)
	shown.drain(s)
	res := Request{ConnectResult: netconn.Connected(p.Conn, start, p.TLS), Method: r.Method, Path: r.URL.Path,
		RawQuery: r.URL.RawQuery, Query: web.Joined(r.URL.Query()), Headers: web.Joined(r.Header), Body: string(body),
		Form: map[string]string{}, JSON: map[string]any(nil)}
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(strings.ToLower(ct), "application/x-www-form-urlencoded") {
		v, err := url.ParseQuery(string(body))
		if err != nil {
			s.Note("the form body does not parse: %v", err)
		}
		res.Form = web.Joined(v)
	}
	if len(body) > 0 {
		if v, err := parseJSON(body); err == nil {
			res.JSON = v
		}
	}
	s.Note("request %s %s from %s", r.Method, r.URL.RequestURI(), res.Remote)
	return res, nil
}

// request is a request an accept step took: a send with a status answers
// it; closing it unanswered answers 500.
type request struct {
	p        *web.Pending
	answered bool
}

// answer sends a plain-text answer and ends the request.
func (q *request) answer(s *engine.Session, status int, text string) {
	if q.answered {
		return
	}
	q.answered = true
	q.p.W.Header().Set("Content-Type", "text/plain; charset=utf-8")
	q.p.W.WriteHeader(status)
	_, _ = io.WriteString(q.p.W, text)
	q.p.Finish()
	if s != nil {
		s.Note("answered %d %s", status, text)
	}
}

// Close answers a request that no send answered with 500.
func (q *request) Close(context.Context) error {
	q.answer(nil, http.StatusInternalServerError, "netrun: no send step answered this request")
	return nil
}

// errAnswered is the error of a second answer to a request.
var errAnswered = errors.New("this request is answered already: accept the next one")
