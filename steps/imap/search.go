package imap

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// searchSpec is fetch's `search`: every key given must hold (AND). The
// server matches text as a case-insensitive substring.
type searchSpec struct {
	Subject engine.Template `yaml:"subject"`
	From    engine.Template `yaml:"from"`
	To      engine.Template `yaml:"to"`
	// Header maps a header name to a value its field must contain.
	Header map[string]engine.Template `yaml:"header"`
	// Text is searched in the header and the body (TEXT).
	Text engine.Template `yaml:"text"`
	// Since is a date (2006-01-02), a time (RFC 3339) or a duration ago
	// (10m, 2h, 3d): messages that arrived at that time or later.
	Since engine.Template `yaml:"since"`
	// Unseen keeps messages without the \Seen flag.
	Unseen engine.Template `yaml:"unseen" netrun:"bool"`
}

// criteria evaluates the search into IMAP criteria, and returns the exact
// time of since (zero when not given): SEARCH SINCE compares dates only,
// so the UIDs found are then narrowed by their INTERNALDATE.
func (sp *searchSpec) criteria(s *engine.Session, now time.Time) (*imap.SearchCriteria, time.Time, error) {
	c := &imap.SearchCriteria{}
	var since time.Time
	if sp == nil {
		return c, since, nil
	}
	for _, f := range []struct {
		key string
		t   *engine.Template
	}{{"Subject", &sp.Subject}, {"From", &sp.From}, {"To", &sp.To}} {
		if !f.t.IsSet() {
			continue
		}
		v, err := f.t.String(s)
		if err != nil {
			return nil, since, fmt.Errorf("search %s: %w", strings.ToLower(f.key), err)
		}
		c.Header = append(c.Header, imap.SearchCriteriaHeaderField{Key: f.key, Value: v})
	}
	for _, name := range slices.Sorted(maps.Keys(sp.Header)) {
		t := sp.Header[name]
		v, err := t.String(s)
		if err != nil {
			return nil, since, fmt.Errorf("search header %s: %w", name, err)
		}
		c.Header = append(c.Header, imap.SearchCriteriaHeaderField{Key: name, Value: v})
	}
	if sp.Text.IsSet() {
		v, err := sp.Text.String(s)
		if err != nil {
			return nil, since, fmt.Errorf("search text: %w", err)
		}
		c.Text = append(c.Text, v)
	}
	if sp.Unseen.IsSet() {
		unseen, err := sp.Unseen.Bool(s)
		if err != nil {
			return nil, since, fmt.Errorf("search unseen: %w", err)
		}
		if unseen {
			c.NotFlag = append(c.NotFlag, imap.FlagSeen)
		}
	}
	if sp.Since.IsSet() {
		v, err := sp.Since.Value(s)
		if err != nil {
			return nil, since, fmt.Errorf("search since: %w", err)
		}
		if since, err = parseSince(v, now); err != nil {
			return nil, since, fmt.Errorf("search since: %w", err)
		}
		// A day earlier than the date in UTC holds the date in any time
		// zone the server compares in; INTERNALDATE then decides.
		day := since.UTC().AddDate(0, 0, -1)
		c.Since = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	}
	return c, since, nil
}

// parseSince reads since: a time value, a date, an RFC 3339 time, or a
// duration ago (Go durations, and days such as 3d).
func parseSince(v any, now time.Time) (time.Time, error) {
	if t, ok := v.(time.Time); ok {
		return t, nil
	}
	str := strings.TrimSpace(fmt.Sprint(v))
	if t, err := time.Parse(time.RFC3339, str); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, str, time.Local); err == nil {
		return t, nil
	}
	if d, ok := strings.CutSuffix(str, "d"); ok {
		if n, err := strconv.Atoi(d); err == nil && n >= 0 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(str); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q: use a date (2006-01-02), a time (RFC 3339) or a duration ago (10m, 2h, 3d)", str)
}

// describe renders the search for a default step name.
func (sp *searchSpec) describe() string {
	if sp == nil {
		return ""
	}
	var parts []string
	for _, f := range []struct {
		name string
		t    *engine.Template
	}{{"subject", &sp.Subject}, {"from", &sp.From}, {"to", &sp.To}, {"text", &sp.Text}, {"since", &sp.Since}} {
		if f.t.IsSet() {
			parts = append(parts, f.name+" "+f.t.Source())
		}
	}
	for _, name := range slices.Sorted(maps.Keys(sp.Header)) {
		t := sp.Header[name]
		parts = append(parts, name+" "+t.Source())
	}
	if sp.Unseen.IsSet() {
		parts = append(parts, "unseen")
	}
	return strings.Join(parts, ", ")
}

// uidList is a list of UIDs: a YAML list of numbers or templates, or one
// template whose value is a number, a list of numbers, or text such as
// "3,5:7".
type uidList struct {
	Items []engine.Template
	set   bool
}

// UnmarshalYAML takes a scalar or a list of scalars.
func (u *uidList) UnmarshalYAML(n *yaml.Node) error {
	items, err := wire.Templates(n, "uids takes UIDs: [3, 4], or one value such as '{{ steps.f.messages[0].uid }}'")
	*u = uidList{Items: items, set: true}
	return err
}

// eval evaluates the UIDs.
func (u *uidList) eval(s *engine.Session) (imap.UIDSet, error) {
	var set imap.UIDSet
	for i := range u.Items {
		v, err := u.Items[i].Value(s)
		if err != nil {
			return nil, fmt.Errorf("uids: %w", err)
		}
		if err := addUIDs(&set, v); err != nil {
			return nil, fmt.Errorf("uids: %s: %w", u.Items[i].Source(), err)
		}
	}
	return set, nil
}

// addUIDs adds the UIDs of a value to set.
func addUIDs(set *imap.UIDSet, v any) error {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if err := addUIDs(set, e); err != nil {
				return err
			}
		}
		return nil
	case []uint32:
		for _, e := range x {
			set.AddNum(imap.UID(e))
		}
		return nil
	case []int:
		for _, e := range x {
			if err := addUIDs(set, e); err != nil {
				return err
			}
		}
		return nil
	case string:
		return addUIDText(set, x)
	case nil:
		return nil
	}
	n, err := strconv.ParseFloat(fmt.Sprint(v), 64)
	if err != nil || n < 1 || n > 1<<32-1 || n != float64(uint32(n)) {
		return fmt.Errorf("%v is not a UID (a whole number from 1)", v)
	}
	set.AddNum(imap.UID(n))
	return nil
}

// addUIDText adds UIDs written as text: "3", "3,5:7" (no "*").
func addUIDText(set *imap.UIDSet, text string) error {
	for _, part := range strings.Split(text, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(part, ":")
		a, err1 := strconv.ParseUint(strings.TrimSpace(lo), 10, 32)
		b, err2 := a, error(nil)
		if isRange {
			b, err2 = strconv.ParseUint(strings.TrimSpace(hi), 10, 32)
		}
		if err1 != nil || err2 != nil || a == 0 || b == 0 {
			return fmt.Errorf("%q is not a UID set such as 3,5:7", text)
		}
		set.AddRange(imap.UID(min(a, b)), imap.UID(max(a, b)))
	}
	return nil
}
