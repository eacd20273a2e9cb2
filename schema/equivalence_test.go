package schema_test

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/schema"
)

// baseline is the hand-written schema as it was before the plugins owned
// their fragments.
const baseline = "testdata/before-fragments.schema.json"

// TestSameAsBaseline checks that the assembled schema validates what the
// hand-written one did: after every $ref is replaced by what it names
// (draft-07 ignores a $ref's siblings), descriptions are dropped, the
// members of allOf, anyOf and oneOf and the required lists are sorted (and
// repeated members of allOf and anyOf dropped), and URL patterns such as
// ^(smtps?|pop3)://  become ^(pop3|smtp|smtps)://, the two are the same.
// Only the base of connect's auth is left out: the rules give each scheme
// its own auth; TestAuthSameAsBaseline compares the two there.
func TestSameAsBaseline(t *testing.T) {
	old, cur := readJSON(t, baseline), decode(t, assembled(t))
	a, b := normalise(old), normalise(cur)
	for _, n := range []any{a, b} {
		delete(n.(map[string]any)["properties"].(map[string]any)["steps"].(map[string]any)["items"].(map[string]any), "description")
	}
	var diffs []string
	difference("#", a, b, &diffs)
	for _, d := range diffs {
		t.Error(d)
	}
}

// normalise gives the canonical form of doc's top level (see
// TestSameAsBaseline).
func normalise(doc map[string]any) any {
	n := &normaliser{doc: doc}
	out := n.walk(doc)
	dropConnectAuth(out)
	return out
}

// dropConnectAuth removes the base of auth from every connect step shape
// under v: the rules make it redundant (TestAuthSameAsBaseline).
func dropConnectAuth(v any) {
	switch x := v.(type) {
	case map[string]any:
		if props, ok := x["properties"].(map[string]any); ok && props["connect"] != nil {
			delete(props, "auth")
		}
		for _, e := range x {
			dropConnectAuth(e)
		}
	case []any:
		for _, e := range x {
			dropConnectAuth(e)
		}
	}
}

type normaliser struct {
	doc   map[string]any
	stack []string
}

var urlPattern = regexp.MustCompile(`^\^\(?([a-z0-9?|]+)\)?://$`)

func (n *normaliser) walk(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok {
			if slices.Contains(n.stack, ref) {
				return map[string]any{"$ref": ref}
			}
			n.stack = append(n.stack, ref)
			defer func() { n.stack = n.stack[:len(n.stack)-1] }()
			return n.walk(schema.Pointer(n.doc, ref))
		}
		out := map[string]any{}
		for k, e := range x {
			switch k {
			case "description", "title":
				continue
			case "definitions":
				continue // compared where they are used
			case "pattern":
				out[k] = schemes(e.(string))
			case "allOf", "anyOf", "oneOf", "required":
				out[k] = n.set(e.([]any), k != "oneOf")
			default:
				out[k] = n.walk(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = n.walk(e)
		}
		return out
	}
	return v
}

// set normalises a list whose order does not count.
func (n *normaliser) set(list []any, dedupe bool) []any {
	var keyed []string
	byKey := map[string]any{}
	for _, e := range list {
		c := n.walk(e)
		k := canonical(c)
		if _, dup := byKey[k]; dup && dedupe {
			continue
		}
		byKey[k] = c
		keyed = append(keyed, k)
	}
	slices.Sort(keyed)
	out := make([]any, len(keyed))
	for i, k := range keyed {
		out[i] = byKey[k]
	}
	return out
}

// schemes rewrites a URL scheme pattern as the sorted list of its schemes.
func schemes(p string) string {
	m := urlPattern.FindStringSubmatch(p)
	if m == nil {
		return p
	}
	var list []string
	for _, alt := range strings.Split(m[1], "|") {
		if base, ok := strings.CutSuffix(alt, "s?"); ok {
			list = append(list, base, base+"s")
		} else {
			list = append(list, alt)
		}
	}
	slices.Sort(list)
	return "^(" + strings.Join(list, "|") + ")://"
}

func canonical(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// difference lists where a and b differ, at most 20 places.
func difference(path string, a, b any, out *[]string) {
	if len(*out) >= 20 || canonical(a) == canonical(b) {
		return
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range keys {
				if !yield(k) {
					return
				}
			}
		}) {
			difference(path+"/"+k, am[k], bm[k], out)
		}
		return
	}
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok && len(al) == len(bl) {
		for i := range al {
			difference(fmt.Sprintf("%s/%d", path, i), al[i], bl[i], out)
		}
		return
	}
	*out = append(*out, fmt.Sprintf("%s:\n  before: %.300s\n  now:    %.300s", path, canonical(a), canonical(b)))
}

func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, data)
}

func decode(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestAuthSameAsBaseline checks the one part TestSameAsBaseline leaves
// out: the base of connect's auth. For every scheme and a range of auth
// values, both schemas must agree.
func TestAuthSameAsBaseline(t *testing.T) {
	before, now := compileDoc(t, readJSON(t, baseline)), compile(t)
	auths := []any{
		nil, "u", map[string]any{}, map[string]any{"user": "u"},
		map[string]any{"user": "u", "password": "p"},
		map[string]any{"user": "u", "token": "t"},
		map[string]any{"user": "u", "password": "p", "token": "t"},
		map[string]any{"user": "u", "password": "p", "x": "y"},
		map[string]any{"password": "p"},
	}
	for _, m := range []string{"plain", "LOGIN", "cram-md5", "xoauth2", "user", "USER", "login", "basic", "Basic", "{{ m }}", "bogus"} {
		auths = append(auths,
			map[string]any{"user": "u", "password": "p", "mechanism": m},
			map[string]any{"user": "u", "token": "t", "mechanism": m})
	}
	var checked int
	for _, s := range strings.Fields("tcp tls udp smtp smtps pop3 pop3s imap imaps ftp ftps nntp nntps http https ws wss") {
		for _, a := range auths {
			doc := map[string]any{"name": "x", "steps": []any{map[string]any{"connect": s + "://h:1", "auth": a}}}
			errBefore, errNow := before.Validate(doc), now.Validate(doc)
			if (errBefore == nil) != (errNow == nil) {
				t.Errorf("connect %s, auth %s: before %v, now %v", s, canonical(a), errBefore, errNow)
			}
			checked++
		}
	}
	t.Logf("%d connect steps compared", checked)
}
