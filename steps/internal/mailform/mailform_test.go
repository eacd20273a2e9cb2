package mailform_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/mail"
	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/internal/mailform"
)

// plugin serves mf://: connect opens nothing real; send takes { mail }
// (a Mail) or { stored } (a Message) and shows its mail.Spec as its result.
type plugin struct{}

func (plugin) Schemes() []string { return []string{"mf"} }

func (plugin) Verbs() engine.VerbTable {
	return engine.VerbTable{Takes: []engine.Verb{
		{Name: "connect", Decode: func(*engine.Decoder) (engine.TypedAction, error) { return connect{}, nil }},
		{Name: "send", Decode: decodeSend},
	}}
}

func decodeSend(d *engine.Decoder) (engine.TypedAction, error) {
	var spec struct {
		Mail   *mailform.Mail    `yaml:"mail"`
		Stored *mailform.Message `yaml:"stored"`
	}
	if err := d.Load(d.Value, &spec); err != nil {
		return send{}, err
	}
	if spec.Stored != nil {
		return send{stored: spec.Stored}, spec.Stored.Check(d, engine.MapKey(d.Value, "stored"))
	}
	if err := spec.Mail.Check(d, engine.MapKey(d.Value, "mail")); err != nil {
		return send{}, err
	}
	d.Name = "mail " + spec.Mail.Describe()
	return send{mail: spec.Mail}, nil
}

type conn struct{}

func (conn) Close(context.Context) error { return nil }

type connect struct{ engine.Returns[struct{}] }

func (connect) Do(ctx context.Context, s *engine.Session) (any, error) {
	s.Open(ctx, conn{})
	return struct{}{}, nil
}

// result shows the mail.Spec of a send.
type result struct {
	From    string            `expr:"from"`
	To      []string          `expr:"to"`
	Cc      []string          `expr:"cc"`
	Bcc     []string          `expr:"bcc"`
	Files   []string          `expr:"files"`
	Headers map[string]string `expr:"headers"`
}

type send struct {
	engine.Returns[result]
	mail   *mailform.Mail
	stored *mailform.Message
}

func (a send) Do(_ context.Context, s *engine.Session) (any, error) {
	var sp mail.Spec
	var err error
	if a.mail != nil {
		sp, err = a.mail.Spec(s)
	} else {
		sp, err = a.stored.Spec(s)
	}
	if err != nil {
		return nil, err
	}
	r := result{From: sp.From, To: sp.To, Cc: sp.Cc, Bcc: sp.Bcc, Headers: sp.Headers}
	for _, f := range sp.Attachments {
		r.Files = append(r.Files, filepath.Base(filepath.Dir(f.Path))+"/"+filepath.Base(f.Path)+" "+f.Name)
	}
	return r, nil
}

func TestSpec(t *testing.T) {
	dir := t.TempDir()
	res := steptest.New(t, plugin{}).Run(dir, `name: spec
vars: { team: [b@c, c@d], nobody: "" }
steps:
  - connect: mf://x
  - send:
      mail:
        from: a@b
        to: '{{ team }}'
        cc: ['{{ nobody }}', e@f]
        bcc: g@h
        attachments: [{ file: notes.txt, name: n.txt }]
        headers: { X-Token: '{{ "t" + "1" }}' }
    assert:
      - result.from == "a@b"
      - result.to == ["b@c", "c@d"]
      - result.cc == ["e@f"]
      - result.bcc == ["g@h"]
      - result.headers["X-Token"] == "t1"
      - result.files == ["DIR/notes.txt n.txt"]
  - send: { stored: { from: a@b, to: '{{ 3 }}' } }
`, "DIR", filepath.Base(dir))
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Errored)
	steptest.Failure(t, res, 3, "mail to: {{ 3 }} gives 3, not an address")
}

func TestLoadErrorsAndNames(t *testing.T) {
	h := steptest.New(t, plugin{})
	errs := h.LoadErrors(`name: mail
steps:
  - connect: mf://x
  - send: { mail: { subject: x } }
  - send: { stored: { from: a@b, bcc: c@d } }
  - send: { stored: { subject: x, attachments: [{ name: x }], headers: { "A B": x } } }
  - send: { mail: { from: a@b, to: { x: y } } }
  - send: { mail: { from: a@b, cc: [[x]] } }
`)
	want := []string{
		"4:13: mail needs from",
		"4:13: mail needs a recipient: to, cc or bcc",
		`5:34: unknown key "bcc" (did you mean "cc"?)`,
		"6:13: mail needs from",
		"6:13: attachment 1 needs file",
		`6:81: header name "A B": use letters, digits and dashes`,
		"7:36: takes an address or a list of addresses",
		"8:37: an address is text, such as bob@example.test",
	}
	if len(errs) != len(want) {
		t.Fatalf("errors:\n%s", strings.Join(errs, "\n"))
	}
	for i, w := range want {
		if !strings.Contains(errs[i], w) {
			t.Errorf("error %d %q does not contain %q", i+1, errs[i], w)
		}
	}
	sc, err := h.Load("", `name: names
steps:
  - connect: mf://x
  - send: { mail: { from: a@b, to: [b@c, c@d], bcc: e@f } }
  - send: { mail: { from: a@b, bcc: e@f } }
`)
	if err != nil {
		t.Fatal(err)
	}
	if got := sc.Steps[1].Name; got != "mail to b@c and 2 more" {
		t.Errorf("name %q", got)
	}
	if got := sc.Steps[2].Name; got != "mail to e@f" {
		t.Errorf("name %q", got)
	}
}
