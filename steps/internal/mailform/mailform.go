// Package mailform holds the YAML forms that the mail plugins share.
//
// A mail, as smtp's `send: { mail }` sends it (Mail) and imap's `send: {
// append: { mail } }` stores it (Message, which has no bcc): from, to, cc,
// bcc, subject, text, html, attachments [{ file, name, content_type }] and
// headers. Every value is a template; Spec evaluates them into the
// mail.Spec that mail.Build renders. to, cc and bcc each take an address,
// a list of addresses, or a whole-string template whose value is a list.
// Attachment files are relative to the scenario.
//
// What pop3's and imap's fetch share (Fetch): delete, and max_size, which
// bounds each message read.
package mailform

import (
	"fmt"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/mail"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// Message is a mail without blind copies, as imap's append stores it.
type Message struct {
	From        engine.Template `yaml:"from"`
	To          Addresses       `yaml:"to"`
	Cc          Addresses       `yaml:"cc"`
	Subject     engine.Template `yaml:"subject"`
	Text        engine.Template `yaml:"text"`
	HTML        engine.Template `yaml:"html"`
	Attachments []Attachment    `yaml:"attachments"`
	// Headers are extra header fields, such as X-Netrun-Token.
	Headers map[string]engine.Template `yaml:"headers"`
}

// Mail is a mail to send: a Message and its blind copies, which go in the
// envelope and never into the message.
type Mail struct {
	Message `yaml:",inline"`
	Bcc     Addresses `yaml:"bcc"`
}

// Attachment is one file to attach, relative to the scenario.
type Attachment struct {
	File        engine.Template `yaml:"file"`
	Name        engine.Template `yaml:"name"`
	ContentType engine.Template `yaml:"content_type"`
}

// Addresses is to, cc or bcc: one address, a list, or a whole-string
// template whose value is a list.
type Addresses struct {
	List []engine.Template
}

// UnmarshalYAML takes a scalar or a list of scalars.
func (a *Addresses) UnmarshalYAML(n *yaml.Node) error {
	*a = Addresses{}
	if n.Kind != yaml.ScalarNode && n.Kind != yaml.SequenceNode {
		return engine.ErrorAt(n, "takes an address or a list of addresses")
	}
	list, err := wire.Templates(n, "an address is text, such as bob@example.test or 'Bob <bob@example.test>'")
	a.List = list
	return err
}

// Check validates the message at load time: from is required, every
// attachment needs file, and header names must be header names. Errors
// without a place of their own are placed at n, the key of the mail.
func (m *Message) Check(d *engine.Decoder, n *yaml.Node) error {
	return m.check(d, n, nil)
}

// Check validates the mail at load time like Message.Check, and wants a
// recipient: to, cc or bcc.
func (m *Mail) Check(d *engine.Decoder, n *yaml.Node) error {
	return m.Message.check(d, n, &m.Bcc)
}

// check is Check; with bcc, a recipient is required.
func (m *Message) check(d *engine.Decoder, n *yaml.Node, bcc *Addresses) error {
	var errs engine.ErrorList
	if !m.From.IsSet() {
		errs = append(errs, &engine.Error{Pos: d.Pos(n), Msg: "mail needs from"})
	}
	if bcc != nil && len(m.To.List)+len(m.Cc.List)+len(bcc.List) == 0 {
		errs = append(errs, &engine.Error{Pos: d.Pos(n), Msg: "mail needs a recipient: to, cc or bcc"})
	}
	for i := range m.Attachments {
		if !m.Attachments[i].File.IsSet() {
			errs = append(errs, &engine.Error{Pos: d.Pos(n), Msg: fmt.Sprintf("attachment %d needs file", i+1)})
		}
	}
	for name, t := range m.Headers {
		if !mail.ValidHeaderName(name) {
			errs = append(errs, &engine.Error{Pos: t.Pos(), Msg: fmt.Sprintf(
				"header name %q: use letters, digits and dashes, such as X-Netrun-Token", name)})
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		return errs
	}
	return nil
}

// Describe names the mail for a default step name: "to alice@example.test",
// "to alice@example.test and 2 more".
func (m *Mail) Describe() string {
	var all []engine.Template
	for _, l := range []Addresses{m.To, m.Cc, m.Bcc} {
		all = append(all, l.List...)
	}
	if len(all) == 0 {
		return ""
	}
	s := "to " + all[0].Source()
	if len(all) > 1 {
		s += fmt.Sprintf(" and %d more", len(all)-1)
	}
	return s
}

// Spec evaluates the templates into what mail.Build takes, with the
// attachment paths resolved against the scenario's folder.
func (m *Message) Spec(s *engine.Session) (mail.Spec, error) {
	var sp mail.Spec
	var err error
	text := func(name string, t *engine.Template) string {
		if err != nil || !t.IsSet() {
			return ""
		}
		var v string
		if v, err = t.String(s); err != nil {
			err = fmt.Errorf("mail %s: %w", name, err)
		}
		return v
	}
	sp.From = text("from", &m.From)
	sp.Subject = text("subject", &m.Subject)
	sp.Text = text("text", &m.Text)
	sp.HTML = text("html", &m.HTML)
	if err != nil {
		return sp, err
	}
	if sp.To, err = m.To.eval(s, "to"); err != nil {
		return sp, err
	}
	if sp.Cc, err = m.Cc.eval(s, "cc"); err != nil {
		return sp, err
	}
	for i := range m.Attachments {
		at := &m.Attachments[i]
		name := fmt.Sprintf("attachment %d ", i+1)
		file := mail.File{Path: text(name+"file", &at.File), Name: text(name+"name", &at.Name),
			ContentType: text(name+"content_type", &at.ContentType)}
		if err != nil {
			return sp, err
		}
		file.Path = s.Path(file.Path)
		sp.Attachments = append(sp.Attachments, file)
	}
	if len(m.Headers) > 0 {
		sp.Headers = map[string]string{}
		for k, t := range m.Headers {
			sp.Headers[k] = text("header "+k, &t)
		}
	}
	return sp, err
}

// Spec evaluates the mail like Message.Spec, with its blind copies.
func (m *Mail) Spec(s *engine.Session) (mail.Spec, error) {
	sp, err := m.Message.Spec(s)
	if err != nil {
		return sp, err
	}
	sp.Bcc, err = m.Bcc.eval(s, "bcc")
	return sp, err
}

// eval evaluates the addresses of the key named key: each template gives
// one address, or a list when it is a whole-string template whose value
// is one. Empty values are left out, so that an unset variable adds no
// recipient.
func (a *Addresses) eval(s *engine.Session, key string) ([]string, error) {
	var out []string
	for i := range a.List {
		v, err := a.List[i].Value(s)
		if err != nil {
			return nil, fmt.Errorf("mail %s: %w", key, err)
		}
		switch x := v.(type) {
		case []string:
			out = append(out, x...)
		case []any:
			for _, e := range x {
				str, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("mail %s: %s gives %v, not a list of addresses", key, a.List[i].Source(), v)
				}
				out = append(out, str)
			}
		case string:
			if strings.TrimSpace(x) != "" {
				out = append(out, x)
			}
		case nil:
		default:
			return nil, fmt.Errorf("mail %s: %s gives %v, not an address", key, a.List[i].Source(), v)
		}
	}
	return out, nil
}
