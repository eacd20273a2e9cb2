package nntpd

import (
	"strings"
	"testing"
)

func TestSeed(t *testing.T) {
	st := NewStore(map[string]string{"alice": "secret"})
	g, ok := st.Group("comp.lang.python")
	if !ok || g.Count != 4 || g.First != 1 || g.Last != 4 {
		t.Fatalf("comp.lang.python %+v, %v", g, ok)
	}
	a := st.Article("comp.lang.python", 4)
	if a == nil || a.MessageID != "<cpl-4.ada@netrun.example.test>" || a.Field("From") != "Ada Lovelace <ada@example.test>" ||
		a.Lines != 13 || !strings.HasPrefix(string(a.Body()), "Bob Example wrote:\r\n") || strings.HasSuffix(string(a.Head()), "\r\n\r\n") {
		t.Errorf("last article %q", a.Raw)
	}
	if st.ByID("<lt-2.bob@netrun.example.test>") != st.Article("local.test", 2) {
		t.Error("ByID and Article disagree")
	}
	if !st.Login("alice", "secret") || st.Login("alice", "wrong") || st.Login("mallory", "secret") {
		t.Error("Login")
	}
}

func TestPost(t *testing.T) {
	st := NewStore(nil)
	id, err := st.Post([]byte("From: a@example.test\nNewsgroups: local.test, comp.lang.python\nSubject: x\n\nbody"), "news.example.test")
	if err != nil || !strings.HasSuffix(id, "@news.example.test>") {
		t.Fatalf("Post = %q, %v", id, err)
	}
	a := st.Article("local.test", 3)
	if a == nil || a != st.Article("comp.lang.python", 5) || a.Header.Get("Path") != "news.example.test!not-for-mail" ||
		a.Header.Get("Date") == "" || !strings.HasSuffix(string(a.Raw), "\r\n\r\nbody\r\n") {
		t.Fatalf("posted article %q", a.Raw)
	}
	for raw, want := range map[string]string{
		"From: a@example.test\r\nNewsgroups: local.test\r\n\r\nx":                                         "no Subject header field",
		"From: a@example.test\r\nNewsgroups: nope\r\nSubject: s\r\n\r\nx":                                 `no such newsgroup "nope"`,
		"From: a@example.test\r\nNewsgroups: local.test\r\nSubject: s\r\nMessage-ID: " + id + "\r\n\r\nx": "duplicate message-id",
		"From: a@example.test\r\nNewsgroups: local.test\r\nSubject: s\r\nMessage-ID: bare@x\r\n\r\nx":     "is not <...>",
		"no header at all": "no blank line after its header",
	} {
		if _, err := st.Post([]byte(raw), "h"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Post(%q) = %v, want %q", raw, err, want)
		}
	}
	if g, _ := st.Group("local.test"); g.Count != 3 || g.Last != 3 {
		t.Errorf("a refused post changed the group: %+v", g)
	}
}

func TestWildmatAndRange(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"*", "local.test", true}, {"comp.*", "comp.lang.python", true}, {"comp.*", "local.test", false},
		{"*,!comp.*", "comp.lang.python", false}, {"*,!comp.*,comp.lang.*", "comp.lang.python", true}, {"local.tes?", "local.test", true},
	} {
		if got := wildmat(tc.pattern, tc.name); got != tc.want {
			t.Errorf("wildmat(%q, %q) = %v", tc.pattern, tc.name, got)
		}
	}
	for v, want := range map[string][3]int{"3": {3, 3, 1}, "3-": {3, 9, 1}, "3-5": {3, 5, 1}, "x": {0, 0, 0}, "3-x": {0, 0, 0}} {
		lo, hi, ok := parseRange(v, 9)
		if ok != (want[2] == 1) || (ok && (lo != want[0] || hi != want[1])) {
			t.Errorf("parseRange(%q) = %d, %d, %v", v, lo, hi, ok)
		}
	}
}
