package mailstore

import (
	"net/textproto"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/netrunhq/netrun/internal/mail"
)

// matches reports whether msg, whose sequence number this client knows as
// seqNum (0 if none), meets criteria. The caller holds Mailbox.mu. Text
// comparisons ignore case and see decoded headers and bodies.
func matches(msg *message, seqNum uint32, criteria *imap.SearchCriteria) bool {
	for _, set := range criteria.SeqNum {
		if seqNum == 0 || !set.Contains(seqNum) {
			return false
		}
	}
	for _, set := range criteria.UID {
		if !set.Contains(msg.uid) {
			return false
		}
	}
	if !inDates(msg.received, criteria.Since, criteria.Before) {
		return false
	}
	for _, f := range criteria.Flag {
		if !msg.hasFlag(f) {
			return false
		}
	}
	for _, f := range criteria.NotFlag {
		if msg.hasFlag(f) {
			return false
		}
	}
	size := int64(len(msg.raw))
	if (criteria.Larger != 0 && size <= criteria.Larger) || (criteria.Smaller != 0 && size >= criteria.Smaller) {
		return false
	}
	if !matchesContent(msg, criteria) {
		return false
	}
	for i := range criteria.Not {
		if matches(msg, seqNum, &criteria.Not[i]) {
			return false
		}
	}
	for _, or := range criteria.Or {
		if !matches(msg, seqNum, &or[0]) && !matches(msg, seqNum, &or[1]) {
			return false
		}
	}
	return true
}

// matchesContent checks the criteria that need the message parsed: header
// fields, the sent date, TEXT and BODY. The message is parsed once, with the
// one mail parser netrun has (internal/mail), and the result kept: messages do
// not change. Header criteria see each field's first value, decoded.
func matchesContent(msg *message, criteria *imap.SearchCriteria) bool {
	if len(criteria.Header) == 0 && criteria.SentSince.IsZero() && criteria.SentBefore.IsZero() &&
		len(criteria.Text) == 0 && len(criteria.Body) == 0 {
		return true
	}
	m := msg.parse()
	for _, hc := range criteria.Header {
		v, ok := m.Headers[textproto.CanonicalMIMEHeaderKey(hc.Key)]
		if !ok || !containsFold(v, hc.Value) {
			return false
		}
	}
	if !criteria.SentSince.IsZero() || !criteria.SentBefore.IsZero() {
		if m.Date.IsZero() || !inDates(m.Date, criteria.SentSince, criteria.SentBefore) {
			return false
		}
	}
	body := m.Text + "\n" + m.HTML
	for _, text := range criteria.Text {
		if !containsFold(body, text) && !anyHeaderContains(m, text) {
			return false
		}
	}
	for _, b := range criteria.Body {
		if !containsFold(body, b) {
			return false
		}
	}
	return true
}

// parse returns the message parsed, parsing it on first use. The caller
// holds Mailbox.mu.
func (msg *message) parse() *mail.Message {
	if msg.parsed == nil {
		msg.parsed, _ = mail.Parse(msg.raw) // never nil; a bad message is mostly empty
	}
	return msg.parsed
}

// inDates reports whether the day of t, ignoring its time zone as RFC 3501
// asks, is on or after since and before before; zero bounds are open.
func inDates(t, since, before time.Time) bool {
	t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if !since.IsZero() && t.Before(since) {
		return false
	}
	return before.IsZero() || t.Before(before)
}

// containsFold reports whether s contains pattern, ignoring case.
func containsFold(s, pattern string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(pattern))
}

func anyHeaderContains(m *mail.Message, pattern string) bool {
	for _, v := range m.Headers {
		if containsFold(v, pattern) {
			return true
		}
	}
	return false
}
