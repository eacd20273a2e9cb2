package httpstep

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/web"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// maxInlineBody bounds a request body built in memory (form, json, body).
const maxInlineBody = 16 << 20

// sendSpec is the mapping of send: one request.
type sendSpec struct {
	// Method is GET, POST, ... (any case); default POST with a body, else
	// GET.
	Method engine.Template `yaml:"method"`
	// Path is joined to the base URL's path; a full http:// or https://
	// URL is used as it is. It may hold a query.
	Path engine.Template `yaml:"path"`
	// Headers are added to (and replace) the connection's headers.
	Headers map[string]engine.Template `yaml:"headers"`
	// Query parameters are added to the URL; a list value repeats the name.
	Query map[string]formValue `yaml:"query"`
	// The body: at most one of Form (URL-encoded), JSON, Body (text) and
	// File.
	Form map[string]formValue `yaml:"form"`
	JSON *engine.Value        `yaml:"json"`
	Body engine.Template      `yaml:"body"`
	File engine.Template      `yaml:"file"`
	// FollowRedirects replaces the connection's follow_redirects.
	FollowRedirects engine.Template `yaml:"follow_redirects" netrun:"bool"`
}

// fetchSpec is the mapping of fetch: a GET.
type fetchSpec struct {
	Path            engine.Template            `yaml:"path"`
	Headers         map[string]engine.Template `yaml:"headers"`
	Query           map[string]formValue       `yaml:"query"`
	FollowRedirects engine.Template            `yaml:"follow_redirects" netrun:"bool"`
}

// sendAction is a compiled send or fetch.
type sendAction struct {
	engine.Returns[Result]
	spec sendSpec
}

// bodyKeys are the forms of a request body, of which send takes one.
var bodyKeys = engine.OneOf{Keys: []string{"form", "json", "body", "file"}, Optional: true,
	Both: func(a, b string) string {
		return fmt.Sprintf("send has both %s and %s: give one body (form, json, body or file)", a, b)
	}}

func decodeSend(d *engine.Decoder) (engine.TypedAction, error) {
	if isRespond(d.Value) {
		return decodeRespond(d)
	}
	const usage = "http send takes a mapping { method, path, headers, query, form, json, body, file }; for a GET, fetch: /path is shorter; on a request that accept took, { status, headers, body } answers it"
	a := &sendAction{}
	if d.Value == nil || d.Value.Kind != yaml.MappingNode {
		return a, d.Errorf(d.Value, usage)
	}
	if err := d.Load(d.Value, &a.spec); err != nil {
		return a, err
	}
	var errs wire.LoadErrors
	body, err := bodyKeys.Check(d.Value)
	errs.Add(err)
	if m, ok := a.spec.Method.Literal(); ok {
		if err := checkMethod(m); err != nil {
			errs.Add(&engine.Error{Pos: a.spec.Method.Pos(), Msg: err.Error()})
		} else if body != "" && (strings.EqualFold(m, "GET") || strings.EqualFold(m, "HEAD")) {
			errs.Add(&engine.Error{Pos: a.spec.Method.Pos(), Msg: fmt.Sprintf("a %s request has no body: remove %s or use POST", strings.ToUpper(m), body)})
		}
	}
	errs.Add(web.CheckHeaders(d, d.Value))
	d.Name = d.Scheme + " send " + a.spec.describe(body != "")
	return a, errs.Err()
}

func decodeFetch(d *engine.Decoder) (engine.TypedAction, error) {
	a := &sendAction{}
	var f fetchSpec
	if err := wire.LoadForm(d, &f, &f.Path, "http fetch takes a path (fetch: /json) or a mapping { path, query, headers, follow_redirects }"); err != nil {
		return a, err
	}
	if d.Value.Kind == yaml.MappingNode {
		if err := web.CheckHeaders(d, d.Value); err != nil {
			return a, err
		}
	}
	a.spec = sendSpec{Path: f.Path, Headers: f.Headers, Query: f.Query, FollowRedirects: f.FollowRedirects}
	a.spec.Method = engine.NewTemplate("GET")
	d.Name = d.Scheme + " fetch " + pathName(&a.spec.Path)
	return a, nil
}

// checkMethod refuses a method that is not an HTTP token.
func checkMethod(m string) error {
	if m == "" {
		return fmt.Errorf("method is empty")
	}
	if err := web.CheckHeaderName(m); err != nil {
		return fmt.Errorf("method %q is not a valid HTTP method", m)
	}
	return nil
}

// describe renders the request for a step's default name: POST /sms.
func (sp *sendSpec) describe(hasBody bool) string {
	m := "GET"
	if hasBody {
		m = "POST"
	}
	if sp.Method.IsSet() {
		m = strings.ToUpper(sp.Method.Source())
	}
	return m + " " + pathName(&sp.Path)
}

// pathName is a path for a step's name.
func pathName(t *engine.Template) string {
	if !t.IsSet() || t.Source() == "" {
		return "/"
	}
	return t.Source()
}

// Do sends the request and reads the response.
func (a *sendAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*client](s)
	if err != nil {
		return nil, err
	}
	follow := c.follow
	if a.spec.FollowRedirects.IsSet() {
		if follow, err = a.spec.FollowRedirects.Bool(s); err != nil {
			return nil, fmt.Errorf("follow_redirects: %w", err)
		}
	}
	red := &redirects{follow: follow}
	req, err := a.spec.request(context.WithValue(ctx, redirectsKey{}, red), s, c)
	if err != nil {
		return nil, err
	}
	return c.do(ctx, s, req, red)
}

// request builds the request from the spec. The body comes last, so that
// a file it opens is handed to the request (which closes it) at once.
func (sp *sendSpec) request(ctx context.Context, s *engine.Session, c *client) (*http.Request, error) {
	target, err := sp.url(s, c.base)
	if err != nil {
		return nil, err
	}
	method := ""
	if sp.Method.IsSet() {
		if method, err = sp.Method.String(s); err != nil {
			return nil, fmt.Errorf("method: %w", err)
		}
		method = strings.ToUpper(strings.TrimSpace(method))
		if err := checkMethod(method); err != nil {
			return nil, err
		}
	}
	headers, err := web.EvalHeaders(s, sp.Headers)
	if err != nil {
		return nil, err
	}
	body, length, ctype, err := sp.body(s)
	if err != nil {
		return nil, err
	}
	if method == "" {
		method = "GET"
		if body != nil {
			method = "POST"
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, target.String(), body)
	if err != nil {
		if cl, ok := body.(io.Closer); ok {
			_ = cl.Close()
		}
		return nil, fmt.Errorf("request: %w", err)
	}
	if f, ok := body.(*os.File); ok {
		name := f.Name()
		req.ContentLength = length
		req.GetBody = func() (io.ReadCloser, error) { return os.Open(name) }
	}
	req.Header.Set("User-Agent", userAgent)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.authorization != "" {
		req.Header.Set("Authorization", c.authorization)
	}
	for name, v := range c.headers {
		setHeader(req, name, v)
	}
	for name, v := range headers {
		setHeader(req, name, v)
	}
	return req, nil
}

// setHeader sets a header of req; Host sets the request's host.
func setHeader(req *http.Request, name, v string) {
	if http.CanonicalHeaderKey(name) == "Host" {
		req.Host = v
		return
	}
	req.Header.Set(name, v)
}

// url resolves the path against the base URL and adds the query.
func (sp *sendSpec) url(s *engine.Session, base *url.URL) (*url.URL, error) {
	path := ""
	if sp.Path.IsSet() {
		var err error
		if path, err = sp.Path.String(s); err != nil {
			return nil, fmt.Errorf("path: %w", err)
		}
	}
	var raw string
	switch lower := strings.ToLower(path); {
	case strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://"):
		raw = path
	case path == "" || strings.HasPrefix(path, "/") || strings.HasPrefix(path, "?"):
		raw = base.Scheme + "://" + base.Host + base.EscapedPath() + path
	default:
		raw = base.Scheme + "://" + base.Host + base.EscapedPath() + "/" + path
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("path %q: %w", path, err)
	}
	if len(sp.Query) > 0 {
		q := u.Query()
		if err := addValues(s, q, sp.Query, "query"); err != nil {
			return nil, err
		}
		u.RawQuery = q.Encode()
	}
	return u, nil
}

// body evaluates the request body: its reader, length, and default
// content type. No body gives a nil reader.
func (sp *sendSpec) body(s *engine.Session) (io.Reader, int64, string, error) {
	switch {
	case sp.Form != nil:
		v := url.Values{}
		if err := addValues(s, v, sp.Form, "form"); err != nil {
			return nil, 0, "", err
		}
		b := v.Encode()
		return strings.NewReader(b), int64(len(b)), "application/x-www-form-urlencoded", nil
	case sp.JSON != nil:
		b, err := encodeJSON(s, sp.JSON)
		if err != nil {
			return nil, 0, "", err
		}
		return strings.NewReader(string(b)), int64(len(b)), "application/json", nil
	case sp.Body.IsSet():
		b, err := sp.Body.String(s)
		if err != nil {
			return nil, 0, "", fmt.Errorf("body: %w", err)
		}
		if len(b) > maxInlineBody {
			return nil, 0, "", fmt.Errorf("body: %s is more than %s", bytesize.Format(len(b)), bytesize.Format(maxInlineBody))
		}
		return strings.NewReader(b), int64(len(b)), "", nil
	case sp.File.IsSet():
		name, err := sp.File.String(s)
		if err != nil {
			return nil, 0, "", fmt.Errorf("file: %w", err)
		}
		f, err := os.Open(s.Path(name))
		if err != nil {
			return nil, 0, "", fmt.Errorf("file: %w", err)
		}
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			_ = f.Close()
			return nil, 0, "", fmt.Errorf("file %s: not a regular file", name)
		}
		return f, st.Size(), "", nil
	}
	return nil, 0, "", nil
}
