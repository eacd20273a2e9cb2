package integration

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
)

// TestNNTPScenariosAgainstRealServers runs the NNTP scenarios, unchanged,
// against INN through the NETRUN_NNTP* variables (test/realservers/nntp-up.sh
// seeds comp.lang.python with the sandbox's articles).
func TestNNTPScenariosAgainstRealServers(t *testing.T) {
	requireServers(t, "nntp")
	for _, f := range []string{"nntp_latest.yaml"} {
		t.Run(f, func(t *testing.T) {
			if res := run(t, filepath.Join("..", "..", "scenarios", f), nil); res.Status != engine.Passed {
				t.Fatalf("%s against INN: %s", f, res.Status)
			}
		})
	}
}

// TestNNTPPostAndRefusalsAgainstINN posts to local.test as alice and reads
// the article back, and checks what INN answers to an anonymous POST (480,
// as the sandbox), a missing group and a wrong password, with the password
// redacted.
func TestNNTPPostAndRefusalsAgainstINN(t *testing.T) {
	requireServers(t, "nntp")
	src := `name: inn post
secrets:
  password: '{{ env("NETRUN_NNTP_PASSWORD") }}'
  wrong: Wr0ng-Canary-nntp
vars:
  token: 'netrun-{{ uuid() }}'
steps:
  - connect: nntp://{{ env("NETRUN_NNTP") }}
    as: anonymous
    assert: not result.posting_allowed
  - send: { post: { newsgroups: local.test, from: anon@example.test, subject: '{{ token }}', body: no } }
    continue: true
  - fetch: { group: no.such.group }
    continue: true
  - connect: nntp://{{ env("NETRUN_NNTP") }}
    starttls: true
    tls: { ca: '{{ env("NETRUN_CA") }}' }
    auth: { user: '{{ env("NETRUN_NNTP_USER") }}', password: '{{ password }}' }
    assert: result.posting_allowed
  - send:
      post: { newsgroups: local.test, from: 'Alice <alice@example.test>', subject: 'Grüße {{ token }}',
              body: "hello INN\n.a line that starts with a dot" }
    id: post
    assert: result.reply.code == 240
  - fetch: { group: local.test, article: '{{ steps.post.message_id }}' }
    retry: { until: result.article.subject != "", every: 200ms, within: 10s }
    assert:
      - result.article.subject == "Grüße " + token
      - result.article.text == "hello INN\n.a line that starts with a dot\n"
  - fetch: { overview: { group: local.test, last: 5 } }
    assert: any(result.entries, .message_id == steps.post.message_id)
  - connect: nntp://{{ env("NETRUN_NNTP") }}
    starttls: true
    tls: { ca: '{{ env("NETRUN_CA") }}' }
    auth: { user: alice, password: '{{ wrong }}' }
    continue: true
`
	res := run(t, "inn_post.yaml", []byte(src))
	want := []engine.Status{engine.Passed, engine.Failed, engine.Failed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Failed}
	for i, st := range res.Steps {
		if st.Status != want[i] {
			t.Errorf("step %d %q: %s, want %s", i+1, st.Name, st.Status, want[i])
		}
	}
	for i, code := range map[int]string{2: "480", 3: "411", 8: "481"} {
		if f := res.Steps[i-1].Failure; f == nil || !strings.Contains(f.Message, code) {
			t.Errorf("step %d: failure %+v, want INN's %s", i, f, code)
		}
	}
	for _, st := range res.Steps {
		for _, l := range st.Transcript {
			if strings.Contains(l.Text, "Wr0ng-Canary-nntp") {
				t.Errorf("password in transcript: %q", l.Text)
			}
		}
	}
}
