package httpstep

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/web"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// respondSpec is the mapping of a send that answers a request an accept
// step took: { status, headers, and at most one of form, json, body, file }.
type respondSpec struct {
	Status  engine.Template            `yaml:"status" netrun:"int"`
	Headers map[string]engine.Template `yaml:"headers"`
	Form    map[string]formValue       `yaml:"form"`
	JSON    *engine.Value              `yaml:"json"`
	Body    engine.Template            `yaml:"body"`
	File    engine.Template            `yaml:"file"`
}

// respondAction answers the step's request.
type respondAction struct {
	engine.Returns[wire.SendResult]
	spec respondSpec
}

// isRespond reports whether a send's mapping answers a request: it has
// a status, which a request has not.
func isRespond(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.MappingNode && engine.MapKey(n, "status") != nil
}

func decodeRespond(d *engine.Decoder) (engine.TypedAction, error) {
	a := &respondAction{}
	if err := d.Load(d.Value, &a.spec); err != nil {
		return a, err
	}
	var errs wire.LoadErrors
	_, err := bodyKeys.Check(d.Value)
	errs.Add(err)
	if lit, ok := a.spec.Status.Literal(); ok {
		if _, err := parseStatus(lit); err != nil {
			errs.Add(&engine.Error{Pos: a.spec.Status.Pos(), Msg: err.Error()})
		}
	}
	errs.Add(web.CheckHeaders(d, d.Value))
	d.Name = d.Scheme + " answer " + a.spec.Status.Source()
	return a, errs.Err()
}

// parseStatus reads a status code, 100 to 599.
func parseStatus(v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 100 || n > 599 {
		return 0, fmt.Errorf("status must be a code from 100 to 599, not %q", v)
	}
	return n, nil
}

// Do writes the answer within the step's deadline and ends the request.
func (a *respondAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	q, err := engine.TargetAs[*request](s)
	if err != nil {
		return nil, fmt.Errorf("%w (a send with status answers a request that accept took)", err)
	}
	if q.answered {
		return nil, engine.Own(errAnswered)
	}
	lit, err := a.spec.Status.String(s)
	if err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	status, err := parseStatus(lit)
	if err != nil {
		return nil, engine.Own(err)
	}
	sp := sendSpec{Form: a.spec.Form, JSON: a.spec.JSON, Body: a.spec.Body, File: a.spec.File}
	body, length, ctype, err := sp.body(s)
	if err != nil {
		return nil, err
	}
	if c, ok := body.(io.Closer); ok {
		defer c.Close()
	}
	headers, err := web.EvalHeaders(s, a.spec.Headers)
	if err != nil {
		return nil, err
	}
	h := q.p.W.Header()
	for name, v := range headers {
		h.Set(name, v)
	}
	if ctype != "" && h.Get("Content-Type") == "" {
		h.Set("Content-Type", ctype)
	}
	if body != nil && h.Get("Content-Length") == "" {
		h.Set("Content-Length", strconv.FormatInt(length, 10))
	}
	return q.write(ctx, s, status, body)
}

// write sends the status, headers and body, and ends the request.
func (q *request) write(ctx context.Context, s *engine.Session, status int, body io.Reader) (any, error) {
	q.answered = true
	defer q.p.Finish()
	rc := http.NewResponseController(q.p.W)
	if d, ok := ctx.Deadline(); ok {
		_ = rc.SetWriteDeadline(d)
	}
	var head strings.Builder
	fmt.Fprintf(&head, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	_ = q.p.W.Header().Write(&head)
	var shown tap // what the transcript shows of the answer, within tapBudget
	defer shown.drain(s)
	shown.record(sent, []byte(head.String()+"\r\n"))
	q.p.W.WriteHeader(status)
	var n int64
	if body != nil {
		var err error
		n, err = io.Copy(q.p.W, io.TeeReader(body, tapWriter{&shown, sent}))
		if err != nil {
			return nil, wire.WriteError(err)
		}
	}
	if err := rc.Flush(); err != nil {
		return nil, wire.WriteError(err)
	}
	_ = rc.SetWriteDeadline(time.Time{})
	return wire.SendResult{Bytes: int(n)}, nil
}
