package engine

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"html"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Redacted replaces every secret in every output.
const Redacted = "***"

// Redactor removes secrets from text: each secret in plain form and in the
// forms outputs use (base64, hex, JSON, XML and Go-quoted escapes). It is
// shared by all scenarios of a run and safe for concurrent use.
type Redactor struct {
	mu    sync.RWMutex
	forms []string
	r     *strings.Replacer
}

// NewRedactor returns an empty redactor.
func NewRedactor() *Redactor { return &Redactor{} }

// Add registers a secret. Values shorter than 3 bytes are redacted only in
// plain form, because their encodings would match ordinary text.
func (r *Redactor) Add(secret string) {
	if r == nil || secret == "" {
		return
	}
	forms := []string{secret}
	if len(secret) >= 3 {
		b := []byte(secret)
		forms = append(forms,
			base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
			base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b),
			hex.EncodeToString(b), html.EscapeString(secret),
			url.QueryEscape(secret), url.PathEscape(secret))
		if j, err := json.Marshal(secret); err == nil {
			forms = append(forms, string(j[1:len(j)-1]))
		}
		q := strconv.Quote(secret)
		forms = append(forms, q[1:len(q)-1])
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	n := len(r.forms)
	for _, f := range forms {
		if !contains(r.forms, f) {
			r.forms = append(r.forms, f)
		}
	}
	if len(r.forms) == n {
		return // all known: base64() of a secret adds the same forms each time
	}
	// Longest first, so that a secret inside a longer form is not half-cut.
	sort.Slice(r.forms, func(i, j int) bool { return len(r.forms[i]) > len(r.forms[j]) })
	pairs := make([]string, 0, 2*len(r.forms))
	for _, f := range r.forms {
		pairs = append(pairs, f, Redacted)
	}
	r.r = strings.NewReplacer(pairs...)
}

// Redact returns s with every registered secret replaced.
func (r *Redactor) Redact(s string) string {
	if r == nil {
		return s
	}
	r.mu.RLock()
	rep := r.r
	r.mu.RUnlock()
	if rep == nil {
		return s
	}
	return rep.Replace(s)
}

// RedactBytes is Redact for bytes.
func (r *Redactor) RedactBytes(b []byte) []byte {
	if r == nil {
		return b
	}
	r.mu.RLock()
	rep := r.r
	r.mu.RUnlock()
	if rep == nil {
		return b
	}
	return []byte(rep.Replace(string(b)))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
