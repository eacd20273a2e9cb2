package imap

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/mail"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/mailform"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// FetchResult is the result of fetch.
type FetchResult struct {
	// Messages are the messages fetched, parsed, in UID order; each has
	// `uid` set.
	Messages []mail.Message `expr:"messages" json:"messages"`
	// Count is how many messages the search matched, before limit.
	Count int `expr:"count" json:"count"`
	// Total is how many messages the mailbox holds (EXISTS).
	Total int `expr:"total" json:"total"`
	// Mailbox is the mailbox searched.
	Mailbox string `expr:"mailbox" json:"mailbox"`
}

// Summary says how many messages matched, for a retry that gives up
// (engine.Summarizer): "0 messages in INBOX".
func (r FetchResult) Summary() string {
	return mail.CountText(r.Count) + " in " + r.Mailbox
}

// fetchSpec is the value of fetch.
type fetchSpec struct {
	// Mailbox is searched; INBOX by default.
	Mailbox engine.Template `yaml:"mailbox"`
	// Search selects messages on the server; without it, every message.
	Search *searchSpec `yaml:"search"`
	// Limit keeps the newest N messages found (the highest UIDs).
	Limit engine.Template `yaml:"limit" netrun:"int"`
	// Move moves the messages fetched to this mailbox.
	Move engine.Template `yaml:"move"`
	// Fetch is delete (\Deleted, then UID EXPUNGE) and max_size.
	mailform.Fetch `yaml:",inline"`
}

// fetchAction is fetch.
type fetchAction struct {
	engine.Returns[FetchResult]
	spec fetchSpec
}

// decodeFetch compiles fetch.
func decodeFetch(d *engine.Decoder) (engine.TypedAction, error) {
	a := &fetchAction{}
	if err := wire.LoadForm(d, &a.spec, &a.spec.Mailbox, "imap fetch takes a mailbox, or { mailbox, search: { subject, from, to, header, text, since, unseen }, limit, delete, move, max_size }"); err != nil {
		return a, err
	}
	errs := wire.LoadErrors{At: d.Pos(d.Value)}
	errs.Add(a.spec.Fetch.Check())
	if sp := a.spec.Search; sp != nil {
		if lit, ok := wire.Literal(&sp.Since); ok {
			if _, err := parseSince(lit, time.Now()); err != nil {
				errs.Add(&engine.Error{Pos: sp.Since.Pos(), Msg: "since " + err.Error()})
			}
		}
	}
	if a.spec.Delete.IsSet() && a.spec.Move.IsSet() {
		errs.Add(d.Errorf(engine.MapKey(d.Value, "move"), "give delete or move, not both: move already removes the messages from the mailbox"))
	}
	name := "INBOX"
	if a.spec.Mailbox.IsSet() {
		name = a.spec.Mailbox.Source()
	}
	if desc := a.spec.Search.describe(); desc != "" {
		name += " " + desc
	}
	d.Name = d.Scheme + " fetch " + name
	return a, errs.Err()
}

// fetchPlan is a fetch with its templates evaluated.
type fetchPlan struct {
	mailbox  string
	criteria *imap.SearchCriteria
	since    time.Time
	limit    int
	delete   bool
	move     string
	maxSize  int
}

// plan evaluates the templates of the spec.
func (sp *fetchSpec) plan(s *engine.Session) (fetchPlan, error) {
	p := fetchPlan{mailbox: "INBOX"}
	var err error
	if p.mailbox, err = textOr(s, "mailbox", &sp.Mailbox, "INBOX"); err != nil {
		return p, err
	}
	if p.move, err = textOr(s, "move", &sp.Move, ""); err != nil {
		return p, err
	}
	if p.criteria, p.since, err = sp.Search.criteria(s, time.Now()); err != nil {
		return p, err
	}
	if p.limit, err = wire.EvalCount(s, &sp.Limit, "limit", 0, 1, 0, ""); err != nil {
		return p, err
	}
	p.delete, p.maxSize, err = sp.Fetch.Eval(s)
	return p, err
}

// textOr evaluates t, or returns def when t is not set or empty.
func textOr(s *engine.Session, name string, t *engine.Template, def string) (string, error) {
	if !t.IsSet() {
		return def, nil
	}
	v, err := t.String(s)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	if v == "" {
		return def, nil
	}
	return v, nil
}

// Do selects the mailbox, searches it on the server, fetches the messages
// found with BODY.PEEK[] (which never sets \Seen), parses them, and then
// deletes or moves them when asked.
func (a *fetchAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	p, err := a.spec.plan(s)
	if err != nil {
		return nil, err
	}
	end, err := c.begin(ctx, s)
	if err != nil {
		return nil, err
	}
	defer end()
	c.sc.setMaxLiteral(p.maxSize)
	readOnly := !p.delete && p.move == ""
	total, err := c.selectMailbox(ctx, p.mailbox, readOnly)
	if err != nil {
		return nil, err
	}
	res := FetchResult{Messages: []mail.Message{}, Mailbox: p.mailbox, Total: total}
	data, err := c.client.UIDSearch(p.criteria, nil).Wait()
	if err != nil {
		return nil, c.fail(ctx, "UID SEARCH", err)
	}
	uids, err := c.narrow(ctx, data, p)
	if err != nil {
		return nil, err
	}
	res.Count = len(uids)
	if p.limit > 0 && len(uids) > p.limit {
		uids = uids[len(uids)-p.limit:]
	}
	if len(uids) == 0 {
		return res, nil
	}
	if res.Messages, err = c.fetchBodies(ctx, s, uids, p.maxSize); err != nil {
		return nil, err
	}
	set := imap.UIDSetNum(uids...)
	switch {
	case p.delete:
		err = c.remove(ctx, s, p.mailbox, set)
	case p.move != "":
		err = c.move(ctx, set, p.move)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// selectMailbox opens mailbox, read-only with EXAMINE when readOnly, and
// returns how many messages it holds.
func (c *conn) selectMailbox(ctx context.Context, mailbox string, readOnly bool) (int, error) {
	verb := "SELECT"
	if readOnly {
		verb = "EXAMINE"
	}
	sel, err := c.client.Select(mailbox, &imap.SelectOptions{ReadOnly: readOnly}).Wait()
	if err != nil {
		return 0, c.fail(ctx, fmt.Sprintf("%s %q", verb, mailbox), err)
	}
	return int(sel.NumMessages), nil
}

// narrow returns the UIDs a search found, ascending, keeping only those
// that arrived at since or later when since is given (SEARCH SINCE is by
// date; INTERNALDATE has the time). The sizes are checked here too, before
// any body is read.
func (c *conn) narrow(ctx context.Context, data *imap.SearchData, p fetchPlan) ([]imap.UID, error) {
	set, _ := data.All.(imap.UIDSet)
	uids, ok := set.Nums()
	if !ok {
		return nil, fmt.Errorf("UID SEARCH: the server answered with a set that has no end (*)")
	}
	slices.Sort(uids)
	if p.since.IsZero() || len(uids) == 0 {
		return uids, nil
	}
	msgs, err := c.client.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, InternalDate: true}).Collect()
	if err != nil {
		return nil, c.fail(ctx, "UID FETCH INTERNALDATE", err)
	}
	keep := map[imap.UID]bool{}
	for _, m := range msgs {
		if !m.InternalDate.Before(p.since) {
			keep[m.UID] = true
		}
	}
	return slices.DeleteFunc(uids, func(u imap.UID) bool { return !keep[u] }), nil
}

// fetchBodies runs UID FETCH (FLAGS BODY.PEEK[]) for uids and parses each message.
// A message over maxSize fails the step; the rest of it is read and
// dropped, never kept.
func (c *conn) fetchBodies(ctx context.Context, s *engine.Session, uids []imap.UID, maxSize int) ([]mail.Message, error) {
	cmd := c.client.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{
		UID:         true,
		Flags:       true,
		BodySection: []*imap.FetchItemBodySection{{Peek: true}},
	})
	defer func() { _ = cmd.Close() }()
	var out []mail.Message
	var tooBig error
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		var uid imap.UID
		var raw []byte
		flags := []string{}
		for item := msg.Next(); item != nil; item = msg.Next() {
			switch it := item.(type) {
			case imapclient.FetchItemDataUID:
				uid = it.UID
			case imapclient.FetchItemDataFlags:
				flags = flagStrings(it.Flags)
			case imapclient.FetchItemDataBodySection:
				if it.Literal == nil {
					continue
				}
				if size := it.Literal.Size(); size > int64(maxSize) {
					tooBig = &engine.Mismatch{Msg: fmt.Sprintf("message UID %d is %s, more than max_size (%s)", uid, bytesize.Format(int(size)), bytesize.Format(maxSize))}
					continue
				}
				// One buffer of the size announced, never grown or copied.
				b := make([]byte, it.Literal.Size())
				if _, err := io.ReadFull(it.Literal, b); err != nil {
					return nil, c.fail(ctx, "UID FETCH BODY.PEEK[]", err)
				}
				raw = b
			}
		}
		if raw == nil || tooBig != nil {
			continue
		}
		m := mailform.Parse(s, raw, fmt.Sprintf("message UID %d", uid))
		m.UID, m.Flags = uint32(uid), flags
		out = append(out, *m)
	}
	if err := cmd.Close(); err != nil {
		return nil, c.fail(ctx, "UID FETCH BODY.PEEK[]", err)
	}
	if tooBig != nil {
		return nil, tooBig
	}
	slices.SortFunc(out, func(a, b mail.Message) int { return cmp.Compare(a.UID, b.UID) })
	if len(out) < len(uids) {
		s.Note("%d of %d messages found were gone when fetched", len(uids)-len(out), len(uids))
	}
	return out, nil
}
