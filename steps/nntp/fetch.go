package nntp

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/mail"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/mailform"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// Group is a newsgroup as GROUP describes it.
type Group struct {
	// Name is the group's name.
	Name string `expr:"name" json:"name"`
	// Count is the server's estimate of the number of articles.
	Count int `expr:"count" json:"count"`
	// First and Last are the low and high water marks: the lowest and
	// highest article numbers. An empty group has Last < First.
	First int `expr:"first" json:"first"`
	Last  int `expr:"last" json:"last"`
}

// FetchResult is the result of `fetch: { group, article }`.
type FetchResult struct {
	// Group is the group selected; empty when only a message-id was given.
	Group Group `expr:"group" json:"group"`
	// Number is the article's number in the group, as the server's 220
	// response gives it (0 for an article fetched by message-id outside
	// a group, on most servers).
	Number int `expr:"number" json:"number"`
	// Article is the article, parsed as a mail; its number is Number.
	Article mail.Message `expr:"article" json:"article"`
}

// fetchSpec is the value of fetch: an article, or an overview.
type fetchSpec struct {
	// Group is selected with GROUP first.
	Group engine.Template `yaml:"group"`
	// Article is last (the default), a number, or a <message-id>.
	Article engine.Template `yaml:"article"`
	// MaxSize bounds the article read, such as 25MiB (the default).
	MaxSize engine.Template `yaml:"max_size"`
	// Overview reads the overview of the last articles instead.
	Overview *overviewSpec `yaml:"overview"`
}

// overviewSpec is `overview: { group, last }`.
type overviewSpec struct {
	// Group is the group whose overview is read.
	Group engine.Template `yaml:"group"`
	// Last is how many of the newest articles: 10 by default.
	Last engine.Template `yaml:"last" netrun:"int"`
}

// fetchForms names the forms of fetch, for messages.
const fetchForms = "nntp fetch takes { group, article: last | N | <message-id>, max_size } or { overview: { group, last: N } }"

// decodeFetch compiles fetch.
func decodeFetch(d *engine.Decoder) (engine.TypedAction, error) {
	if engine.IsNull(d.Value) || d.Value.Kind != yaml.MappingNode {
		return nil, d.Errorf(d.Value, "%s", fetchForms)
	}
	var sp fetchSpec
	err := d.Load(d.Value, &sp)
	if sp.Overview != nil || (err != nil && engine.MapKey(d.Value, "overview") != nil) {
		a := &overviewAction{spec: sp.Overview}
		if err != nil {
			return a, err
		}
		return a, sp.Overview.decode(d)
	}
	a := &articleAction{spec: sp}
	if err != nil {
		return a, err
	}
	errs := wire.LoadErrors{At: d.Pos(d.Value)}
	errs.Add(bytesize.Check(&sp.MaxSize, "max_size"))
	which := "last"
	if lit, ok := sp.Article.Literal(); ok {
		w, err := parseArticle(lit)
		if err != nil {
			errs.Add(&engine.Error{Pos: sp.Article.Pos(), Msg: err.Error()})
		}
		if w.id == "" && !sp.Group.IsSet() {
			errs.Add(d.Errorf(d.Value, "fetch needs group for article %s: article numbers count within a group", w))
		}
	}
	if sp.Article.IsSet() {
		which = sp.Article.Source()
	}
	d.Name = d.Scheme + " fetch article " + which
	if sp.Group.IsSet() {
		d.Name += " of " + sp.Group.Source()
	}
	return a, errs.Err()
}

// decode checks an overview that loaded (fetch: { overview }) and names
// the step.
func (o *overviewSpec) decode(d *engine.Decoder) error {
	errs := wire.LoadErrors{At: d.Pos(d.Value)}
	errs.Add(engine.Conflicts(d.Value, "overview", []string{"group", "article", "max_size"}, func(k string) string {
		return "fetch has both overview and " + k + ": the overview names its group inside: { overview: { group, last } }"
	}))
	errs.Add(o.check(d, engine.MapKey(d.Value, "overview")))
	d.Name = d.Scheme + " fetch overview of " + o.Group.Source()
	return errs.Err()
}

// which is an article to fetch: the last, a number, or a message-id.
type which struct {
	number int    // > 0 for a number
	id     string // "<...>" for a message-id
}

// String renders w as the scenario writes it.
func (w which) String() string {
	switch {
	case w.id != "":
		return w.id
	case w.number > 0:
		return strconv.Itoa(w.number)
	}
	return "last"
}

// parseArticle reads article: last (or empty), a number from 1, or a
// message-id in angle brackets.
func parseArticle(v string) (which, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "" || strings.EqualFold(v, "last"):
		return which{}, nil
	case strings.HasPrefix(v, "<"):
		if len(v) < 3 || !strings.HasSuffix(v, ">") || strings.ContainsAny(v, " \t\r\n") || strings.Count(v, ">") != 1 {
			return which{}, fmt.Errorf("article %q: a message-id is <...> without spaces, such as <abc@example.test>", v)
		}
		return which{id: v}, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return which{}, fmt.Errorf("article %q: use last, an article number from 1, or a <message-id>", v)
	}
	return which{number: n}, nil
}

// articleAction is fetch: { group, article }.
type articleAction struct {
	engine.Returns[FetchResult]
	spec fetchSpec
}

// Do selects the group and retrieves the article with ARTICLE, then
// parses it.
func (a *articleAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	var w which
	if a.spec.Article.IsSet() {
		v, err := a.spec.Article.String(s)
		if err != nil {
			return nil, fmt.Errorf("article: %w", err)
		}
		if w, err = parseArticle(v); err != nil {
			return nil, err
		}
	}
	maxSize, err := bytesize.Eval(s, &a.spec.MaxSize, "max_size", mailform.DefaultMaxSize)
	if err != nil {
		return nil, err
	}
	res := FetchResult{}
	if a.spec.Group.IsSet() {
		name, err := a.spec.Group.String(s)
		if err != nil {
			return nil, fmt.Errorf("group: %w", err)
		}
		if res.Group, err = c.group(ctx, s, name); err != nil {
			return nil, err
		}
	} else if w.id == "" {
		return nil, fmt.Errorf("fetch needs group for article %s: article numbers count within a group", w)
	}
	spec := w.String()
	if w.id == "" && w.number == 0 {
		n, err := c.lastArticle(ctx, s, res.Group)
		if err != nil {
			return res, err
		}
		spec = strconv.Itoa(n)
	}
	r, raw, err := c.command(ctx, s, "ARTICLE "+spec, maxSize)
	if err != nil {
		return res, err
	}
	if r.Code != 220 {
		return res, refused("ARTICLE "+spec+articleHint(r.Code, res.Group.Name), r)
	}
	f := strings.Fields(r.Text)
	if len(f) > 0 {
		res.Number, _ = strconv.Atoi(f[0])
	}
	msg := mailform.Parse(s, raw, "article "+spec)
	msg.Number = res.Number
	res.Article = *msg
	return res, nil
}

// articleHint explains the refusals of ARTICLE.
func articleHint(code int, group string) string {
	switch code {
	case 423:
		return fmt.Sprintf(" (423: no article with that number in %s)", group)
	case 430:
		return " (430: no article with that message-id)"
	case 412:
		return " (412: no group selected)"
	case 480:
		return " (480: the server wants a login to read: auth: { user, password })"
	}
	return ""
}

// group selects name with GROUP and returns its description.
func (c *conn) group(ctx context.Context, s *engine.Session, name string) (Group, error) {
	if name = strings.TrimSpace(name); name == "" || strings.ContainsAny(name, " \t") {
		return Group{}, fmt.Errorf("group %q: give a group name such as local.test", name)
	}
	r, _, err := c.command(ctx, s, "GROUP "+name, 0)
	if err != nil {
		return Group{}, err
	}
	if r.Code != 211 {
		hint := ""
		switch r.Code {
		case 411:
			hint = " (411: no such group)"
		case 480:
			hint = " (480: the server wants a login to read: auth: { user, password })"
		}
		return Group{}, refused("GROUP "+name+hint, r)
	}
	f := strings.Fields(r.Text)
	g := Group{Name: name}
	nums := []*int{&g.Count, &g.First, &g.Last}
	for i, p := range nums {
		n, err := 0, error(nil)
		if i < len(f) {
			n, err = strconv.Atoi(f[i])
		}
		if i >= len(f) || err != nil {
			return Group{}, &engine.Mismatch{Received: r.Raw(), Msg: fmt.Sprintf(
				"GROUP %s: expected 211 COUNT FIRST LAST NAME, got %s", name, r)}
		}
		*p = n
	}
	if len(f) > 3 {
		g.Name = f[3]
	}
	return g, nil
}

// maxStepBack bounds how many articles below the high water mark
// lastArticle looks at, when the newest ones are gone.
const maxStepBack = 100

// lastArticle returns the number of the newest article of g: its high
// water mark, or, when that article is gone (cancelled or expired, which
// GROUP's numbers do not show), the first number below it that STAT
// finds, at most maxStepBack down.
func (c *conn) lastArticle(ctx context.Context, s *engine.Session, g Group) (int, error) {
	if g.Count == 0 || g.Last < g.First || g.Last < 1 {
		return 0, &engine.Mismatch{Msg: fmt.Sprintf("group %s has no articles (GROUP: %d articles, %d-%d)", g.Name, g.Count, g.First, g.Last)}
	}
	low := max(g.First, g.Last-maxStepBack+1, 1)
	for n := g.Last; n >= low; n-- {
		r, _, err := c.command(ctx, s, "STAT "+strconv.Itoa(n), 0)
		if err != nil {
			return 0, err
		}
		switch {
		case r.Code == 223:
			if n != g.Last {
				s.Note("articles %d-%d of %s are gone: the newest is %d", n+1, g.Last, g.Name, n)
			}
			return n, nil
		case r.Code != 423:
			return 0, refused("STAT "+strconv.Itoa(n), r)
		}
	}
	return 0, &engine.Mismatch{Msg: fmt.Sprintf(
		"group %s: none of articles %d-%d (the newest %d) exists: the group's high water mark is stale", g.Name, low, g.Last, g.Last-low+1)}
}
