package nntpd

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
)

// helpText is HELP's answer.
const helpText = `Commands of the netrun sandbox's NNTP server:
  ARTICLE|HEAD|BODY|STAT [n|<message-id>]
  AUTHINFO USER name, AUTHINFO PASS password
  CAPABILITIES  DATE  HELP  MODE READER  QUIT  STARTTLS
  GROUP group  LISTGROUP [group [range]]  NEXT  LAST
  LIST [ACTIVE [wildmat]|NEWSGROUPS [wildmat]|OVERVIEW.FMT|HEADERS]
  OVER|XOVER [range|<message-id>]  HDR|XHDR field [range|<message-id>]
  POST (after AUTHINFO)`

// now is DATE's answer: the time in UTC as yyyymmddhhmmss.
func now() string { return time.Now().UTC().Format("20060102150405") }

// selectGroup runs GROUP and LISTGROUP [group [range]].
func (ss *session) selectGroup(cmd, arg string) error {
	list := cmd == "LISTGROUP"
	f := strings.Fields(arg)
	name := ss.group
	if len(f) > 0 {
		name = f[0]
	}
	switch {
	case name == "":
		return ss.fail(412, "no newsgroup selected")
	case len(f) > 2 || (!list && len(f) != 1):
		return ss.fail(501, "syntax error")
	}
	g, ok := ss.srv.Store.Group(name)
	if !ok {
		return ss.fail(411, "no such newsgroup")
	}
	ss.group, ss.current = g.Name, 0
	if g.Count > 0 {
		ss.current = g.First
	}
	status := fmt.Sprintf("%d %d %d %s", g.Count, g.First, g.Last, g.Name)
	if !list {
		return ss.ok(211, "%s", status)
	}
	lo, hi := g.First, g.Last
	if len(f) == 2 {
		var ok bool
		if lo, hi, ok = parseRange(f[1], g.Last); !ok {
			return ss.fail(501, "bad range %q", f[1])
		}
	}
	var nums []string
	for _, n := range ss.srv.Store.Numbers(g.Name, lo, hi) {
		nums = append(nums, strconv.Itoa(n))
	}
	return ss.lines(211, status+" list follows", nums)
}

// parseRange reads n, n- or n-m; last is the high water mark, for n-.
func parseRange(v string, last int) (lo, hi int, ok bool) {
	a, b, dash := strings.Cut(v, "-")
	lo, err := strconv.Atoi(a)
	if err != nil || lo < 0 {
		return 0, 0, false
	}
	switch {
	case !dash:
		return lo, lo, true
	case b == "":
		return lo, max(last, lo), true
	}
	hi, err = strconv.Atoi(b)
	return lo, hi, err == nil && hi >= 0
}

// list runs LIST [ACTIVE|NEWSGROUPS [wildmat] | OVERVIEW.FMT | HEADERS].
func (ss *session) list(_, arg string) error {
	f := strings.Fields(arg)
	kw, pattern := "ACTIVE", "*"
	if len(f) > 0 {
		kw = strings.ToUpper(f[0])
	}
	if len(f) > 1 {
		pattern = f[1]
	}
	var out []string
	switch kw {
	case "ACTIVE", "NEWSGROUPS":
		for _, g := range ss.srv.Store.List() {
			switch {
			case !wildmat(pattern, g.Name):
			case kw == "ACTIVE":
				// INN writes the water marks with ten digits; so does the sandbox.
				out = append(out, fmt.Sprintf("%s %010d %010d y", g.Name, g.Last, g.First))
			default:
				out = append(out, g.Name+"\t"+g.Description)
			}
		}
	case "OVERVIEW.FMT":
		out = []string{"Subject:", "From:", "Date:", "Message-ID:", "References:", ":bytes", ":lines"}
	case "HEADERS":
		out = []string{":"}
	default:
		return ss.fail(501, "LIST %s is not known", kw)
	}
	return ss.lines(215, "information follows", out)
}

// wildmat reports whether name matches a wildmat of RFC 3977 (section
// 4): patterns separated by commas, the last that matches decides, and
// one that starts with "!" excludes.
func wildmat(pattern, name string) bool {
	match := false
	for _, p := range strings.Split(pattern, ",") {
		neg := strings.HasPrefix(p, "!")
		if ok, err := path.Match(strings.TrimPrefix(p, "!"), name); err == nil && ok {
			match = !neg
		}
	}
	return match
}

// target resolves the argument of ARTICLE, HEAD, BODY and STAT: none (the
// current article), a number in the current group, or a message-id. It
// returns the article, the number to report, and the failure to reply.
func (ss *session) target(arg string) (*Article, int, func() error) {
	if strings.HasPrefix(arg, "<") {
		if a := ss.srv.Store.ByID(arg); a != nil {
			return a, 0, nil
		}
		return nil, 0, func() error { return ss.fail(430, "no article with that message-id") }
	}
	if ss.group == "" {
		return nil, 0, func() error { return ss.fail(412, "no newsgroup selected") }
	}
	n := ss.current
	if arg != "" {
		var err error
		if n, err = strconv.Atoi(arg); err != nil || n < 0 {
			return nil, 0, func() error { return ss.fail(501, "bad article number %q", arg) }
		}
	} else if n == 0 {
		return nil, 0, func() error { return ss.fail(420, "current article number is invalid") }
	}
	if a := ss.srv.Store.Article(ss.group, n); a != nil {
		return a, n, nil
	}
	return nil, 0, func() error { return ss.fail(423, "no article with that number") }
}

// article runs ARTICLE, HEAD, BODY and STAT. A number makes the article
// current; a message-id does not.
func (ss *session) article(cmd, arg string) error {
	a, n, fail := ss.target(arg)
	if fail != nil {
		return fail()
	}
	if n > 0 {
		ss.current = n
	}
	status := fmt.Sprintf("%d %s", n, a.MessageID)
	switch cmd {
	case "ARTICLE":
		return ss.block(220, status, a.Raw)
	case "HEAD":
		return ss.block(221, status, a.Head())
	case "BODY":
		return ss.block(222, status, a.Body())
	}
	return ss.ok(223, "%s", status)
}

// move runs NEXT and LAST: the next or previous article of the group.
func (ss *session) move(cmd, _ string) error {
	switch {
	case ss.group == "":
		return ss.fail(412, "no newsgroup selected")
	case ss.current == 0:
		return ss.fail(420, "current article number is invalid")
	}
	g, _ := ss.srv.Store.Group(ss.group)
	nums := ss.srv.Store.Numbers(ss.group, g.First, g.Last)
	n := 0
	for _, m := range nums {
		if cmd == "NEXT" && m > ss.current {
			n = m
			break
		}
		if cmd == "LAST" && m < ss.current {
			n = m
		}
	}
	if n == 0 {
		if cmd == "NEXT" {
			return ss.fail(421, "no next article in this group")
		}
		return ss.fail(422, "no previous article in this group")
	}
	ss.current = n
	return ss.ok(223, "%d %s retrieved", n, ss.srv.Store.Article(ss.group, n).MessageID)
}

// selection resolves the argument of OVER and HDR: a range in the current
// group, none (the current article) or a message-id (number 0). A range
// with no article in it is 423 for OVER and HDR (RFC 3977), and an empty
// list for XOVER and XHDR (xcmd), as INN answers them.
func (ss *session) selection(arg string, xcmd bool) (map[int]*Article, []int, func() error) {
	if arg == "" || strings.HasPrefix(arg, "<") {
		a, n, fail := ss.target(arg)
		if fail != nil {
			return nil, nil, fail
		}
		return map[int]*Article{n: a}, []int{n}, nil
	}
	if ss.group == "" {
		return nil, nil, func() error { return ss.fail(412, "no newsgroup selected") }
	}
	g, _ := ss.srv.Store.Group(ss.group)
	lo, hi, ok := parseRange(arg, g.Last)
	if !ok {
		return nil, nil, func() error { return ss.fail(501, "bad range %q", arg) }
	}
	nums := ss.srv.Store.Numbers(ss.group, lo, hi)
	if len(nums) == 0 && !xcmd {
		return nil, nil, func() error { return ss.fail(423, "no articles in that range") }
	}
	arts := map[int]*Article{}
	for _, n := range nums {
		arts[n] = ss.srv.Store.Article(ss.group, n)
	}
	return arts, nums, nil
}

// answer writes the status line, then for each article arg selects (see
// selection) the line item makes of it, if any, as a block.
func (ss *session) answer(arg string, xcmd bool, code int, status string, item func(n int, a *Article) (string, bool)) error {
	arts, nums, fail := ss.selection(arg, xcmd)
	if fail != nil {
		return fail()
	}
	var out []string
	for _, n := range nums {
		if line, ok := item(n, arts[n]); ok {
			out = append(out, line)
		}
	}
	return ss.lines(code, status, out)
}

// over runs OVER and XOVER: the overview of each article selected.
func (ss *session) over(cmd, arg string) error {
	return ss.answer(arg, cmd == "XOVER", 224, "overview information follows", func(n int, a *Article) (string, bool) {
		return strings.Join([]string{strconv.Itoa(n), a.Field("Subject"), a.Field("From"), a.Field("Date"),
			a.MessageID, a.Field("References"), strconv.Itoa(len(a.Raw)), strconv.Itoa(a.Lines)}, "\t"), true
	})
}

// hdr runs HDR (225) and XHDR (221): one field of each article selected,
// or a metadata item :bytes or :lines, as "number value" (the value may be
// empty: "1 "). XHDR leaves out an article that lacks a field that is not
// in the overview, and names an article asked for by
// message-id by its message-id (RFC 2980), where HDR gives 0, as INN does.
func (ss *session) hdr(cmd, arg string) error {
	field, rest, _ := strings.Cut(arg, " ")
	if field == "" {
		return ss.fail(501, "%s needs a field name", cmd)
	}
	rest = strings.TrimSpace(rest)
	xcmd := cmd == "XHDR"
	code, status := 225, "headers follow"
	if xcmd {
		code, status = 221, field+" fields follow"
	}
	return ss.answer(rest, xcmd, code, status, func(n int, a *Article) (string, bool) {
		var v string
		switch strings.ToLower(field) {
		case ":bytes":
			v = strconv.Itoa(len(a.Raw))
		case ":lines":
			v = strconv.Itoa(a.Lines)
		default:
			v = a.Field(field)
		}
		id := strconv.Itoa(n)
		if xcmd {
			if v == "" && !overviewField(field) {
				return "", false
			}
			if strings.HasPrefix(rest, "<") {
				id = a.MessageID
			}
		}
		return id + " " + v, true
	})
}

// overviewField reports whether a field is one of LIST OVERVIEW.FMT's,
// which INN answers from the overview, for every article.
func overviewField(name string) bool {
	switch strings.ToLower(name) {
	case "subject", "from", "date", "message-id", "references", ":bytes", ":lines":
		return true
	}
	return false
}
