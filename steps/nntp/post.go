package nntp

import (
	"bytes"
	"context"
	"fmt"
	"net/textproto"
	"regexp"
	"sort"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/mail"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// PostResult is the result of `send: { post }`.
type PostResult struct {
	// Replies are the two responses of the transaction: to POST (340) and
	// to the article (240). A refused POST leaves one.
	Replies []Reply `expr:"replies" json:"replies"`
	// Reply is the last response: the server's answer to the article, such
	// as 240 article received ok.
	Reply Reply `expr:"reply" json:"reply"`
	// MessageID is the Message-ID of the article, angle brackets included:
	// the one given in headers, or the one generated.
	MessageID string `expr:"message_id" json:"message_id"`
	// Size is the size of the article in bytes, before dot-stuffing.
	Size int `expr:"size" json:"size"`
}

// postSpec is `post: { newsgroups, from, subject, body, headers }`.
type postSpec struct {
	// Newsgroups is a group, a list of groups, or a whole-string template
	// whose value is a list.
	Newsgroups groupList `yaml:"newsgroups"`
	// From is the author, "addr" or "Name <addr>".
	From engine.Template `yaml:"from"`
	// Subject may hold any Unicode; it is RFC 2047 encoded when needed.
	Subject engine.Template `yaml:"subject"`
	// Body is the text of the article, sent as 8bit UTF-8.
	Body engine.Template `yaml:"body"`
	// Headers are extra header fields, such as References or
	// Message-ID (which replaces the generated one).
	Headers map[string]engine.Template `yaml:"headers"`
}

// groupList is newsgroups: one group, a list, or a template giving a
// list.
type groupList struct {
	// List holds one template a group (or a list of groups).
	List []engine.Template
}

// UnmarshalYAML takes a scalar or a list of scalars.
func (g *groupList) UnmarshalYAML(n *yaml.Node) error {
	list, err := wire.Templates(n, "newsgroups takes a group name, such as local.test, or a list of them")
	*g = groupList{List: list}
	return err
}

// eval returns the group names, split at commas and trimmed.
func (g *groupList) eval(s *engine.Session) ([]string, error) {
	var out []string
	add := func(v string) {
		for _, name := range strings.Split(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				out = append(out, name)
			}
		}
	}
	for i := range g.List {
		v, err := g.List[i].Value(s)
		if err != nil {
			return nil, fmt.Errorf("newsgroups: %w", err)
		}
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				add(fmt.Sprint(e))
			}
		case []string:
			for _, e := range x {
				add(e)
			}
		case nil:
		default:
			add(fmt.Sprint(x))
		}
	}
	for _, name := range out {
		if strings.ContainsAny(name, " \t\r\n") {
			return nil, fmt.Errorf("newsgroups: %q is not a group name", name)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("newsgroups: no group to post to")
	}
	return out, nil
}

// reserved are the header fields that post writes from its own keys or
// for the MIME structure.
var reserved = map[string]string{"From": "from", "Subject": "subject", "Newsgroups": "newsgroups"}

// check validates the post at load time: newsgroups, from and subject are
// required (RFC 5536), and header names must be header names that post
// does not write itself. n is the key of the post.
func (p *postSpec) check(d *engine.Decoder, n *yaml.Node) error {
	var errs engine.ErrorList
	for _, f := range []struct {
		set  bool
		name string
	}{{len(p.Newsgroups.List) > 0, "newsgroups"}, {p.From.IsSet(), "from"}, {p.Subject.IsSet(), "subject"}} {
		if !f.set {
			errs = append(errs, &engine.Error{Pos: d.Pos(n), Msg: "post needs " + f.name})
		}
	}
	for name, t := range p.Headers {
		canon := textproto.CanonicalMIMEHeaderKey(name)
		switch {
		case !mail.ValidHeaderName(name):
			errs = append(errs, &engine.Error{Pos: t.Pos(), Msg: fmt.Sprintf(
				"header name %q: use letters, digits and dashes, such as References", name)})
		case reserved[canon] != "":
			errs = append(errs, &engine.Error{Pos: t.Pos(), Msg: fmt.Sprintf(
				"header %s: set it with post's %s key", name, reserved[canon])})
		case canon == "Mime-Version" || strings.HasPrefix(canon, "Content-"):
			errs = append(errs, &engine.Error{Pos: t.Pos(), Msg: fmt.Sprintf(
				"header %s: post writes the MIME fields itself (UTF-8 text, 8bit)", name)})
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		return errs
	}
	return nil
}

// describe names the post for a default step name: its groups.
func (p *postSpec) describe() string {
	var parts []string
	for i := range p.Newsgroups.List {
		parts = append(parts, p.Newsgroups.List[i].Source())
	}
	return strings.Join(parts, ",")
}

// article evaluates the post and builds the article with mail.Build: a
// text/plain UTF-8 message in 8bit, with a Date and a Message-ID unless
// the headers give them.
func (p *postSpec) article(s *engine.Session) (raw []byte, messageID string, err error) {
	groups, err := p.Newsgroups.eval(s)
	if err != nil {
		return nil, "", err
	}
	spec := mail.Spec{Headers: map[string]string{"Newsgroups": strings.Join(groups, ",")}, EightBit: true}
	for _, f := range []struct {
		name string
		t    *engine.Template
		dst  *string
	}{{"from", &p.From, &spec.From}, {"subject", &p.Subject, &spec.Subject}, {"body", &p.Body, &spec.Text}} {
		if !f.t.IsSet() {
			continue
		}
		if *f.dst, err = f.t.String(s); err != nil {
			return nil, "", fmt.Errorf("post %s: %w", f.name, err)
		}
	}
	names := make([]string, 0, len(p.Headers))
	for name := range p.Headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t := p.Headers[name]
		v, err := t.String(s)
		if err != nil {
			return nil, "", fmt.Errorf("post header %s: %w", name, err)
		}
		spec.Headers[name] = v
	}
	raw, messageID, err = mail.Build(spec)
	if err != nil {
		return nil, "", fmt.Errorf("post: %w", err)
	}
	return unfoldEmpty(raw), messageID, nil
}

// emptyFirstLine matches a header field whose body starts on the next
// line, as the mail builder folds a long encoded Subject.
var emptyFirstLine = regexp.MustCompile(`(?m)^([!-9;-~]+):\r\n[ \t]+`)

// unfoldEmpty joins the first continuation line of a header field whose
// first line is empty ("Subject:" CRLF " =?UTF-8?q?...") to it: news
// servers refuse such a field (RFC 5536, section 3.1; INN: "empty content
// line"), though mail takes it.
func unfoldEmpty(raw []byte) []byte {
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	if end < 0 {
		return raw
	}
	head := emptyFirstLine.ReplaceAll(raw[:end+2], []byte("$1: "))
	return append(head, raw[end+2:]...)
}

// postAction is send: { post }.
type postAction struct {
	engine.Returns[PostResult]
	spec *postSpec
}

// Do sends POST and, once the server says 340, the article, dot-stuffed;
// the server's answer must be 240. A refusal at either point fails the
// step with the response, which the result keeps.
func (a *postAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	raw, id, err := a.spec.article(s)
	if err != nil {
		return nil, err
	}
	res := PostResult{Replies: []Reply{}, MessageID: id, Size: len(raw)}
	r, _, err := c.command(ctx, s, "POST", 0)
	if err != nil {
		return nil, err
	}
	res.Replies, res.Reply = append(res.Replies, r), r
	if r.Code != 340 {
		return res, refused("POST"+postHint(r.Code), r)
	}
	if err := c.lp.WriteDotBlock(ctx, s, raw); err != nil {
		c.d.Break(fmt.Errorf("the article was cut off: %w", err))
		return res, fmt.Errorf("POST: %w", err)
	}
	if r, _, err = c.d.Reply(ctx, s, lineproto.Request{Line: "POST"}); err != nil {
		return res, fmt.Errorf("POST: the answer to the article: %w", err)
	}
	res.Replies, res.Reply = append(res.Replies, r), r
	if r.Code != 240 {
		return res, refused("POST "+id+postHint(r.Code), r)
	}
	return res, nil
}

// postHint explains the refusals of POST.
func postHint(code int) string {
	switch code {
	case 440:
		return " (440: posting is not allowed on this connection)"
	case 441:
		return " (441: the server refused the article)"
	case 480:
		return " (480: log in first: auth: { user, password })"
	case 483:
		return " (483: the server wants TLS first)"
	}
	return ""
}
