package engine

import (
	"cmp"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Redacted replaces every secret in every output.
const Redacted = "***"

// MinSecretLen is the length in bytes below which a value cannot be
// redacted safely: it would be cut out of ordinary words ("imapwire"
// becomes "ima***ire" for the secret "pw"), which both garbles the output
// and tells a reader what the secret is. A declared secret that short is
// refused; a shorter value registered by a plugin (a password written in
// the file) is redacted only where it stands as a whole token.
const MinSecretLen = 4

// Redactor removes secrets from text. Each secret is found in its plain
// form and in the forms outputs and peers give it: base64 (standard and
// URL alphabets, also inside a larger blob at any of the three alignments,
// as in AUTH PLAIN or HTTP basic auth), hex, and every text escaping:
// JSON (Go's \u003c and Python's \u00e9 alike, \/), Go and Python quoting
// (\x..), HTML and XML entities, URL percent-encoding, quoted-printable
// (=3D, and a secret split by soft line breaks), and a secret split across
// lines (base64 wrapped at 76 columns). Escaped text is searched on a
// decoded view whose positions map back to the original text, so that
// mixed escapes are found too. It is shared by all scenarios of a run and
// safe for concurrent use.
type Redactor struct {
	mu      sync.RWMutex
	secrets map[string]bool
	m       *matcher // immutable; replaced when a secret is added
}

// NewRedactor returns an empty redactor.
func NewRedactor() *Redactor { return &Redactor{} }

// Add registers a secret. A value shorter than MinSecretLen is redacted
// only as a whole token (not inside a word), in plain form.
func (r *Redactor) Add(secret string) {
	if r == nil || secret == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.secrets[secret] {
		return // base64() of a secret adds the same value each time
	}
	if r.secrets == nil {
		r.secrets = map[string]bool{}
	}
	r.secrets[secret] = true
	list := make([]string, 0, len(r.secrets))
	for s := range r.secrets {
		list = append(list, s)
	}
	r.m = newMatcher(list)
}

// Redact returns s with every registered secret replaced.
func (r *Redactor) Redact(s string) string {
	if m := r.matcher(); m != nil {
		return redactQuotedHex(m.redact(s), m.redact)
	}
	return s
}

// RedactBytes is Redact for bytes: b itself when it holds no secret.
func (r *Redactor) RedactBytes(b []byte) []byte {
	if m := r.matcher(); m != nil {
		s := string(b)
		if red := redactQuotedHex(m.redact(s), m.redact); red != s {
			return []byte(red)
		}
	}
	return b
}

// matcher returns the matcher of the secrets registered so far: nil for
// none, or for a nil Redactor.
func (r *Redactor) matcher() *matcher {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.m
}

// matcher finds the forms of a set of secrets.
type matcher struct {
	needles []string     // longest first
	first   [256][]int32 // needles by first byte
	// edge are the secrets looked for in pieces at the start and the end
	// of a text; not those made of digits only, whose pieces would be
	// found in ordinary numbers.
	edge  []string
	short []string // secrets under MinSecretLen: whole tokens only
	space bool     // a secret holds a space: '+' may stand for it
}

func newMatcher(secrets []string) *matcher {
	m := &matcher{}
	seen := map[string]bool{}
	for _, s := range secrets {
		if len(s) < MinSecretLen {
			m.short = append(m.short, s)
			continue
		}
		m.space = m.space || strings.ContainsRune(s, ' ')
		if strings.Trim(s, "0123456789") != "" {
			m.edge = append(m.edge, s)
		}
		for _, f := range formsOf(s) {
			if len(f) >= MinSecretLen && !seen[f] {
				seen[f] = true
				m.needles = append(m.needles, f)
			}
		}
	}
	sort.Slice(m.needles, func(i, j int) bool { return len(m.needles[i]) > len(m.needles[j]) })
	for i, n := range m.needles {
		m.first[n[0]] = append(m.first[n[0]], int32(i))
	}
	return m
}

// formsOf returns the forms of a secret searched for literally: on the
// text as it is, and on its decoded views.
func formsOf(s string) []string {
	b := []byte(s)
	forms := []string{s, hex.EncodeToString(b), strings.ToUpper(hex.EncodeToString(b))}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		forms = append(forms, enc.EncodeToString(b), enc.WithPadding(base64.NoPadding).EncodeToString(b))
		for align := 0; align < 3; align++ {
			forms = append(forms, base64Core(enc, b, align))
		}
	}
	// Escaped forms that the decoded views cannot see: a secret that holds
	// text which looks like an escape itself (`\"`, `%41`, `&amp;`).
	forms = append(forms, html.EscapeString(s), url.QueryEscape(s), url.PathEscape(s),
		strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s))
	if j, err := json.Marshal(s); err == nil {
		forms = append(forms, string(j[1:len(j)-1]))
	}
	q := strconv.Quote(s)
	forms = append(forms, q[1:len(q)-1])
	q = strconv.QuoteToASCII(s)
	return append(forms, q[1:len(q)-1])
}

// base64Core returns the characters of the base64 of a blob holding secret
// at offset align (mod 3) that the secret's bytes alone decide: wherever
// the secret is inside a larger blob, those characters are in its base64.
func base64Core(enc *base64.Encoding, secret []byte, align int) string {
	s := enc.WithPadding(base64.NoPadding).EncodeToString(append(make([]byte, align), secret...))
	first := (align*8 + 5) / 6
	last := min((align+len(secret))*8/6, len(s))
	if first >= last {
		return ""
	}
	return s[first:last]
}

// redact replaces every form of every secret in s.
func (m *matcher) redact(s string) string {
	var spans []span
	add := func(x span) {
		// Each search finds spans in order: join one that overlaps the
		// last, so that a long run of matches stays one span.
		if n := len(spans); n > 0 && x.a >= spans[n-1].a && x.a <= spans[n-1].b {
			spans[n-1].b = max(spans[n-1].b, x.b)
			return
		}
		spans = append(spans, x)
	}
	m.find(s, func(a, b int) { add(span{a, b}) })
	for _, plus := range []bool{false, true} {
		if plus && (!m.space || !strings.Contains(s, "+")) {
			continue
		}
		// Two levels of decoding: JSON of a quoted transcript line, a
		// JSON document inside a JSON string.
		v1, ok := decodeView(s, plus)
		if !ok {
			continue
		}
		m.find(v1.text, func(a, b int) { add(v1.raw(s, a, b)) })
		if v2, ok := decodeView(v1.text, plus); ok {
			m.find(v2.text, func(a, b int) {
				x := v2.raw(v1.text, a, b)
				add(v1.raw(s, x.a, x.b))
			})
		}
	}
	hexRuns(s, func(dec string, off int) {
		hex := func(a, b int) { add(span{off + 2*a, off + 2*b}) }
		m.find(dec, hex)
		if v, ok := decodeView(dec, false); ok {
			m.find(v.text, func(a, b int) { x := v.raw(dec, a, b); hex(x.a, x.b) })
		}
	})
	for _, t := range m.short {
		for _, x := range tokens(s, t) {
			add(x)
		}
	}
	if len(spans) == 0 {
		return s
	}
	return replaceSpans(s, spans)
}

// minPiece is the shortest piece of a secret looked for at the start and
// the end of a text. Shorter pieces would be found in ordinary words that
// end a text ("wrong pass" for the secret "password1"), and the *** in
// their place would tell how the secret starts.
const minPiece = 6

// find calls hit for every place in text where a needle is, and for a
// piece of a secret (at least minPiece bytes) that text starts or ends
// with: text cut at a cap (a body over max_body, a full transcript) may
// end in the middle of a secret.
func (m *matcher) find(text string, hit func(a, b int)) {
	for i := 0; i < len(text); i++ {
		for _, k := range m.first[text[i]] {
			if n := m.needles[k]; strings.HasPrefix(text[i:], n) {
				hit(i, i+len(n))
				break // longest first: a shorter one inside is covered
			}
		}
	}
	for _, e := range m.edge {
		// The text ends with the start of e: from the longest piece.
		for p := max(0, len(text)-len(e)+1); p <= len(text)-minPiece; p++ {
			if text[p] == e[0] && strings.HasPrefix(e, text[p:]) {
				hit(p, len(text))
				break
			}
		}
		// The text starts with the end of e.
		for q := min(len(e)-1, len(text)); q >= minPiece; q-- {
			if text[q-1] == e[len(e)-1] && strings.HasSuffix(e, text[:q]) {
				hit(0, q)
				break
			}
		}
	}
}

// span is a range of bytes [a, b).
type span struct{ a, b int }

// replaceSpans replaces each run of overlapping spans with Redacted.
func replaceSpans(s string, spans []span) string {
	slices.SortFunc(spans, func(x, y span) int { return cmp.Compare(x.a, y.a) })
	var out strings.Builder
	out.Grow(len(s))
	pos := 0
	for i := 0; i < len(spans); {
		a, b := spans[i].a, spans[i].b
		for i++; i < len(spans) && spans[i].a <= b; i++ {
			b = max(b, spans[i].b)
		}
		if a < pos { // inside the previous run already
			a = pos
		}
		out.WriteString(s[pos:a])
		out.WriteString(Redacted)
		pos = max(pos, b)
	}
	out.WriteString(s[pos:])
	return out.String()
}

// tokens returns where t stands in s as a whole token: with no letter,
// digit or non-ASCII byte right before or after it.
func tokens(s, t string) []span {
	var out []span
	for i := 0; ; {
		k := strings.Index(s[i:], t)
		if k < 0 {
			return out
		}
		a, b := i+k, i+k+len(t)
		if (a == 0 || !wordByte(s[a-1])) && (b == len(s) || !wordByte(s[b])) {
			out = append(out, span{a, b})
		}
		i = a + 1
	}
}

func wordByte(c byte) bool {
	return c >= 0x80 || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
