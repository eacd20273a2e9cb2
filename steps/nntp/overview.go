package nntp

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/mail"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// OverviewResult is the result of `fetch: { overview }`.
type OverviewResult struct {
	// Group is the group, as GROUP describes it.
	Group Group `expr:"group" json:"group"`
	// Entries are the overview entries of the newest articles, by
	// number; fewer than asked for when some are gone.
	Entries []Entry `expr:"entries" json:"entries"`
	// Method is the command that gave them: OVER, XOVER or XHDR.
	Method string `expr:"method" json:"method"`
}

// Entry is one article's overview (RFC 3977, section 8.3), its header
// fields decoded as in a parsed mail.
type Entry struct {
	// Number is the article number.
	Number int `expr:"number" json:"number"`
	// Subject is the decoded Subject.
	Subject string `expr:"subject" json:"subject"`
	// From is the author, "Name <addr>" or "addr".
	From string `expr:"from" json:"from"`
	// Date is the Date field, the zero time when it is missing or
	// unreadable.
	Date time.Time `expr:"date" json:"date"`
	// MessageID is the Message-ID, angle brackets included.
	MessageID string `expr:"message_id" json:"message_id"`
	// References is the References field as it is.
	References string `expr:"references" json:"references"`
	// Bytes and Lines are the article's size and its body's line count
	// (:bytes and :lines); 0 when the server leaves them out, or with XHDR.
	Bytes int `expr:"bytes" json:"bytes"`
	Lines int `expr:"lines" json:"lines"`
}

// Caps of an overview.
const (
	// defaultOverview is how many articles an overview covers by default.
	defaultOverview = 10
	// maxOverview is the most an overview may cover.
	maxOverview = 100000
	// maxOverviewBlock bounds the data block of one OVER or XHDR response.
	maxOverviewBlock = 16 << 20
)

// check validates the overview at load time; n is its key.
func (o *overviewSpec) check(d *engine.Decoder, n *yaml.Node) error {
	var errs engine.ErrorList
	if !o.Group.IsSet() {
		errs = append(errs, &engine.Error{Pos: d.Pos(n), Msg: "overview needs group"})
	}
	if lit, ok := o.Last.Literal(); ok {
		if v, err := strconv.Atoi(strings.TrimSpace(lit)); err == nil && (v < 1 || v > maxOverview) {
			errs = append(errs, &engine.Error{Pos: o.Last.Pos(), Msg: fmt.Sprintf("last: %d articles: give 1 to %d", v, maxOverview)})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// overviewAction is fetch: { overview }.
type overviewAction struct {
	engine.Returns[OverviewResult]
	spec *overviewSpec
}

// Do selects the group and reads the overview of its newest articles with
// OVER, or XOVER where the server does not know OVER, or XHDR of Subject,
// From, Date, Message-ID and References where it knows neither.
func (a *overviewAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	name, err := a.spec.Group.String(s)
	if err != nil {
		return nil, fmt.Errorf("group: %w", err)
	}
	last, err := wire.EvalCount(s, &a.spec.Last, "last", defaultOverview, 1, maxOverview, "articles")
	if err != nil {
		return nil, err
	}
	res := OverviewResult{Entries: []Entry{}}
	if res.Group, err = c.group(ctx, s, name); err != nil {
		return nil, err
	}
	g := res.Group
	if g.Count == 0 || g.Last < g.First || g.Last < 1 {
		return res, nil
	}
	rng := fmt.Sprintf("%d-%d", max(g.First, g.Last-last+1, 1), g.Last)
	for _, cmd := range []string{"OVER", "XOVER"} {
		if cmd == "OVER" && c.caps != nil && !c.has("OVER") {
			continue // a server that lists its capabilities says whether it has OVER
		}
		r, block, err := c.command(ctx, s, cmd+" "+rng, maxOverviewBlock)
		r.Data = lineproto.SplitLines(block)
		if err != nil {
			return res, err
		}
		switch {
		case r.Code == 224:
			res.Method = cmd
			res.Entries, err = parseOverview(cmd, r.Data)
			return res, err
		case r.Code == 423 || r.Code == 420:
			res.Method = cmd // no article in the range: none left
			return res, nil
		case !unknownCommand(r.Code):
			return res, refused(cmd+" "+rng, r)
		}
	}
	res.Method = "XHDR"
	res.Entries, err = c.xhdrOverview(ctx, s, rng)
	return res, err
}

// unknownCommand reports whether code says the server does not have a
// command (500), does not take its arguments (501), or does not offer it
// (503), so that another one may be tried.
func unknownCommand(code int) bool { return code == 500 || code == 501 || code == 503 }

// parseOverview reads OVER lines: the number, then Subject, From, Date,
// Message-ID, References, :bytes and :lines, separated by tabs (extra
// fields after them are ignored). A line that does not fit fails with
// engine.Mismatch showing it.
func parseOverview(cmd string, lines []string) ([]Entry, error) {
	out := make([]Entry, 0, len(lines))
	for i, line := range lines {
		f := strings.Split(line, "\t")
		bad := func(why string) error {
			return &engine.Mismatch{Received: []byte(line + "\r\n"), Msg: fmt.Sprintf(
				"%s: line %d is not an overview line (%s): %s", cmd, i+1, why, engine.Quote([]byte(line), 120))}
		}
		if len(f) < 8 {
			return nil, bad(fmt.Sprintf("%d fields, not the 8 of NUMBER, Subject, From, Date, Message-ID, References, :bytes and :lines, separated by tabs", len(f)))
		}
		e := entryOf(map[string]string{"Subject": f[1], "From": f[2], "Date": f[3], "Message-ID": f[4], "References": f[5]})
		var err error
		if e.Number, err = strconv.Atoi(f[0]); err != nil || e.Number < 1 {
			return nil, bad(fmt.Sprintf("the article number %q is not a number from 1", f[0]))
		}
		for _, n := range []struct {
			name, v string
			dst     *int
		}{{":bytes", f[6], &e.Bytes}, {":lines", f[7], &e.Lines}} {
			if v := strings.TrimSpace(n.v); v != "" {
				if *n.dst, err = strconv.Atoi(v); err != nil || *n.dst < 0 {
					return nil, bad(fmt.Sprintf("%s %q is not a number", n.name, n.v))
				}
			}
		}
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}

// entryOf decodes header fields with the mail parser (RFC 2047 words,
// charsets, addresses and dates, as in a parsed article).
func entryOf(fields map[string]string) Entry {
	var b strings.Builder
	for _, name := range []string{"Subject", "From", "Date", "Message-ID", "References"} {
		if v := strings.TrimSpace(fields[name]); v != "" {
			b.WriteString(name + ": " + v + "\r\n")
		}
	}
	b.WriteString("\r\n")
	m, _ := mail.Parse([]byte(b.String())) // never nil; an empty header gives an empty entry
	return Entry{Subject: m.Subject, From: m.From, Date: m.Date, MessageID: m.MessageID, References: m.Headers["References"]}
}

// xhdrFields are the fields that XHDR reads, one command each.
var xhdrFields = []string{"Subject", "From", "Date", "Message-ID", "References"}

// xhdrOverview builds the overview from XHDR FIELD RANGE, one field at a
// time: lines "NUMBER VALUE".
func (c *conn) xhdrOverview(ctx context.Context, s *engine.Session, rng string) ([]Entry, error) {
	byNumber := map[int]map[string]string{}
	for _, field := range xhdrFields {
		cmd := "XHDR " + field + " " + rng
		r, block, err := c.command(ctx, s, cmd, maxOverviewBlock)
		r.Data = lineproto.SplitLines(block)
		if err != nil {
			return nil, err
		}
		switch {
		case r.Code == 423 || r.Code == 420:
			return []Entry{}, nil
		case r.Code != 221:
			return nil, refused(cmd+" (the server has none of OVER, XOVER and XHDR)", r)
		}
		for i, line := range r.Data {
			num, value, _ := strings.Cut(line, " ")
			n, err := strconv.Atoi(num)
			if err != nil || n < 1 {
				return nil, &engine.Mismatch{Received: []byte(line + "\r\n"), Msg: fmt.Sprintf(
					"XHDR %s: line %d is not NUMBER VALUE: %s", field, i+1, engine.Quote([]byte(line), 120))}
			}
			if byNumber[n] == nil {
				byNumber[n] = map[string]string{}
			}
			if value = strings.TrimSpace(value); value != "(none)" {
				byNumber[n][field] = value
			}
		}
	}
	out := make([]Entry, 0, len(byNumber))
	for n, fields := range byNumber {
		e := entryOf(fields)
		e.Number = n
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}
