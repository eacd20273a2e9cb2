package pop3

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/mail"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/mailform"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// FetchResult is the result of fetch.
type FetchResult struct {
	// Messages are the messages retrieved, parsed, in message-number order;
	// each has `number` set.
	Messages []mail.Message `expr:"messages" json:"messages"`
	// Count is the number of messages in the maildrop (STAT), not counting
	// those marked for deletion before this step.
	Count int `expr:"count" json:"count"`
	// Size is the size of the maildrop in octets (STAT).
	Size int `expr:"size" json:"size"`
	// Deleted are the numbers of the messages this step marked for deletion
	// (delete: true). The server removes them at QUIT, when the connection
	// is closed.
	Deleted []int `expr:"deleted" json:"deleted"`
	// Gone are the numbers of the messages that `message: all` listed but
	// could not read: the server answered -ERR, as Dovecot does for a
	// message another session expunged meanwhile. They are skipped.
	Gone []int `expr:"gone" json:"gone"`
}

// Summary says how many messages the maildrop held, for a retry that
// gives up (engine.Summarizer): "0 messages".
func (r FetchResult) Summary() string { return mail.CountText(r.Count) + " in the maildrop" }

// fetchSpec is the value of fetch.
type fetchSpec struct {
	// Message is last (the default), all, or a message number.
	Message engine.Template `yaml:"message"`
	// Top retrieves the header and the first N lines of the body (TOP)
	// instead of the whole message (RETR).
	Top engine.Template `yaml:"top" netrun:"int"`
	// Fetch is delete (DELE, which marks the messages retrieved for
	// deletion) and max_size.
	mailform.Fetch `yaml:",inline"`
}

// fetchAction is fetch.
type fetchAction struct {
	engine.Returns[FetchResult]
	spec fetchSpec
}

// decodeFetch compiles fetch: a mapping, or a scalar for message alone
// (`fetch: last`).
func decodeFetch(d *engine.Decoder) (engine.TypedAction, error) {
	a := &fetchAction{}
	if err := wire.LoadForm(d, &a.spec, &a.spec.Message, "pop3 fetch takes { message: last | all | N, top: N, delete: true, max_size: 25MiB }"); err != nil {
		return a, err
	}
	errs := wire.LoadErrors{At: d.Pos(d.Value)}
	if lit, ok := wire.Literal(&a.spec.Message); ok {
		if _, _, err := parseWhich(lit); err != nil {
			errs.Add(&engine.Error{Pos: a.spec.Message.Pos(), Msg: err.Error()})
		}
	}
	errs.Add(a.spec.Fetch.Check())
	which := "last"
	if a.spec.Message.IsSet() {
		which = a.spec.Message.Source()
	}
	d.Name = d.Scheme + " fetch message " + which
	return a, errs.Err()
}

// parseWhich reads message: last, all or a number (n > 0).
func parseWhich(v string) (which string, n int, err error) {
	switch w := strings.ToLower(strings.TrimSpace(v)); w {
	case "", "last":
		return "last", 0, nil
	case "all":
		return "all", 0, nil
	default:
		n, err := strconv.Atoi(w)
		if err != nil || n < 1 {
			return "", 0, fmt.Errorf("message %q: use last, all or a message number from 1", v)
		}
		return "number", n, nil
	}
}

// fetchPlan is a fetch with its templates evaluated.
type fetchPlan struct {
	which   string
	number  int
	top     int // -1: RETR
	delete  bool
	maxSize int
}

// plan evaluates the templates of the spec.
func (sp *fetchSpec) plan(s *engine.Session) (fetchPlan, error) {
	p := fetchPlan{which: "last", top: -1}
	var err error
	if sp.Message.IsSet() {
		v, err := sp.Message.String(s)
		if err != nil {
			return p, fmt.Errorf("message: %w", err)
		}
		if p.which, p.number, err = parseWhich(v); err != nil {
			return p, err
		}
	}
	if p.top, err = wire.EvalCount(s, &sp.Top, "top", -1, 0, 0, "lines"); err != nil {
		return p, err
	}
	p.delete, p.maxSize, err = sp.Fetch.Eval(s)
	return p, err
}

// Do reads STAT and LIST, retrieves the messages asked for, parses them
// and marks them for deletion when asked.
func (a *fetchAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	p, err := a.spec.plan(s)
	if err != nil {
		return nil, err
	}
	res := FetchResult{Messages: []mail.Message{}, Deleted: []int{}, Gone: []int{}}
	if res.Count, res.Size, err = c.stat(ctx, s); err != nil {
		return nil, err
	}
	sizes, err := c.list(ctx, s, p)
	if err != nil {
		return nil, err
	}
	if err := c.retrieve(ctx, s, p, sizes, &res); err != nil {
		return nil, err
	}
	if p.delete {
		if err := c.deleteAll(ctx, s, &res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// retrieve reads the messages listed, with RETR, or TOP when the plan
// says so, pipelined when the server takes it, and adds them to res.
func (c *conn) retrieve(ctx context.Context, s *engine.Session, p fetchPlan, msgs []listed, res *FetchResult) error {
	reqs := make([]lineproto.Request, len(msgs))
	for i, m := range msgs {
		if m.size > p.maxSize {
			return &engine.Mismatch{Msg: fmt.Sprintf("message %d is %s, more than max_size (%s)", m.number, bytesize.Format(m.size), bytesize.Format(p.maxSize))}
		}
		// A block is about the size LIST gave; TOP's is smaller, and
		// its buffer starts small.
		reqs[i] = lineproto.Request{Line: "RETR " + strconv.Itoa(m.number), Max: p.maxSize, Size: m.size}
		if p.top >= 0 {
			reqs[i] = lineproto.Request{Line: fmt.Sprintf("TOP %d %d", m.number, p.top), Max: p.maxSize}
		}
	}
	return c.d.Pipeline(ctx, s, reqs, c.window(), func(i int, r Reply, raw []byte) error {
		n := msgs[i].number
		if !r.OK && p.which == "all" {
			s.Note("message %d skipped: %s answered %s (another session may have removed it)", n, reqs[i].Line, r)
			res.Gone = append(res.Gone, n)
			return nil
		}
		if !r.OK {
			return fmt.Errorf("%s: the server answered %s", reqs[i].Line, r)
		}
		msg := mailform.Parse(s, raw, fmt.Sprintf("message %d", n))
		msg.Number = n
		res.Messages = append(res.Messages, *msg)
		return nil
	})
}

// deleteAll marks the messages of res for deletion (DELE), pipelined when
// the server takes it.
func (c *conn) deleteAll(ctx context.Context, s *engine.Session, res *FetchResult) error {
	reqs := make([]lineproto.Request, len(res.Messages))
	for i, m := range res.Messages {
		reqs[i] = lineproto.Request{Line: "DELE " + strconv.Itoa(m.Number)}
	}
	err := c.d.Pipeline(ctx, s, reqs, c.window(), func(i int, r Reply, _ []byte) error {
		n := res.Messages[i].Number
		if err := c.deleted(s, n, r); err != nil {
			return err
		}
		res.Deleted = append(res.Deleted, n)
		return nil
	})
	if err != nil && len(res.Deleted) > 0 {
		// Pipelined DELEs after the refused one were marked all the same.
		return fmt.Errorf("%w; marked for deletion all the same, removed at QUIT (close): %s", err, joinNumbers(res.Deleted))
	}
	return err
}

// joinNumbers writes message numbers as a list: "1, 3, 4".
func joinNumbers(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

// stat sends STAT and returns the number of messages and their size.
func (c *conn) stat(ctx context.Context, s *engine.Session) (count, size int, err error) {
	r, _, err := c.command(ctx, s, "STAT", 0)
	if err != nil {
		return 0, 0, err
	}
	f := strings.Fields(r.Text)
	if !r.OK {
		return 0, 0, fmt.Errorf("STAT: the server answered %s", r)
	}
	if len(f) < 2 {
		return 0, 0, &engine.Mismatch{Msg: fmt.Sprintf("STAT: expected +OK COUNT SIZE, got %s", r), Received: r.raw}
	}
	count, err1 := strconv.Atoi(f[0])
	size, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil {
		return 0, 0, &engine.Mismatch{Msg: fmt.Sprintf("STAT: expected +OK COUNT SIZE, got %s", r), Received: r.raw}
	}
	return count, size, nil
}

// listed is a message number and its size, from LIST.
type listed struct{ number, size int }

// list returns the messages the plan asks for, from LIST: message numbers
// are not renumbered when messages are marked for deletion, so the last
// message is the highest number listed, not the count of STAT.
func (c *conn) list(ctx context.Context, s *engine.Session, p fetchPlan) ([]listed, error) {
	if p.which == "number" {
		r, _, err := c.command(ctx, s, "LIST "+strconv.Itoa(p.number), 0)
		if err != nil {
			return nil, err
		}
		if !r.OK {
			return nil, fmt.Errorf("message %d: the server answered LIST %d with %s", p.number, p.number, r)
		}
		m, ok := parseListed(r.Text)
		if !ok {
			return nil, &engine.Mismatch{Msg: fmt.Sprintf("LIST %d: expected +OK NUMBER SIZE, got %s", p.number, r), Received: r.raw}
		}
		return []listed{m}, nil
	}
	r, block, err := c.command(ctx, s, "LIST", lineproto.MaxReplyBytes)
	r.Lines = lineproto.SplitLines(block)
	if err != nil {
		return nil, err
	}
	if !r.OK {
		return nil, fmt.Errorf("LIST: the server answered %s", r)
	}
	var all []listed
	for _, line := range r.Lines {
		m, ok := parseListed(line)
		if !ok {
			return nil, &engine.Mismatch{Msg: fmt.Sprintf("LIST: expected lines NUMBER SIZE, got %q", line), Received: []byte(line)}
		}
		all = append(all, m)
	}
	if p.which == "last" && len(all) > 0 {
		last := all[0]
		for _, m := range all {
			if m.number > last.number {
				last = m
			}
		}
		return []listed{last}, nil
	}
	return all, nil
}

// parseListed reads "NUMBER SIZE" (and ignores what follows).
func parseListed(text string) (listed, bool) {
	f := strings.Fields(text)
	if len(f) < 2 {
		return listed{}, false
	}
	n, err1 := strconv.Atoi(f[0])
	size, err2 := strconv.Atoi(f[1])
	return listed{n, size}, err1 == nil && err2 == nil && n > 0 && size >= 0
}
