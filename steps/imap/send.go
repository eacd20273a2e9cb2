package imap

import (
	"context"
	"fmt"

	"github.com/emersion/go-imap/v2"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/mail"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/mailform"
	"go.yaml.in/yaml/v4"
)

// SendResult is the result of send.
type SendResult struct {
	// Mailbox is the mailbox appended to, created, deleted, or deleted or
	// moved from.
	Mailbox string `expr:"mailbox" json:"mailbox"`
	// UID is the UID of the message appended, when the server tells it
	// (UIDPLUS); else 0.
	UID uint32 `expr:"uid" json:"uid"`
	// UIDs are the UIDs given to delete or move.
	UIDs []uint32 `expr:"uids" json:"uids"`
	// MessageID is the Message-ID of a mail appended with `mail`.
	MessageID string `expr:"message_id" json:"message_id"`
	// Size is the size in bytes of the message appended.
	Size int `expr:"size" json:"size"`
}

// sendSpec is the value of send: one of append, create, delete, move.
type sendSpec struct {
	Append *appendSpec     `yaml:"append"`
	Create engine.Template `yaml:"create"`
	Delete *deleteSpec     `yaml:"delete"`
	Move   *moveSpec       `yaml:"move"`
	Store  *storeSpec      `yaml:"store"`
	// Command is written as it is, after a tag of netrun's own.
	Command engine.Template `yaml:"command"`
}

// appendSpec is `append: { mailbox, mail | raw, flags }`.
type appendSpec struct {
	// Mailbox receives the message; INBOX by default.
	Mailbox engine.Template `yaml:"mailbox"`
	// Mail is built like smtp's send: { mail }, without bcc.
	Mail *mailform.Message `yaml:"mail"`
	// Raw is the message as it is; bare LF line endings become CRLF.
	Raw engine.Template `yaml:"raw"`
	// Flags are set on the message, such as \Seen.
	Flags []engine.Template `yaml:"flags"`
}

// deleteSpec is `delete: { mailbox, uids }`, or `delete: NAME`.
type deleteSpec struct {
	Mailbox engine.Template `yaml:"mailbox"`
	// UIDs, when the key is given, are the messages to remove; without
	// the key the mailbox itself is deleted.
	UIDs *uidList `yaml:"uids"`
}

// plainDelete has the fields of deleteSpec without its UnmarshalYAML.
type plainDelete deleteSpec

// UnmarshalYAML takes a mailbox name or the mapping.
func (d *deleteSpec) UnmarshalYAML(n *yaml.Node) error {
	*d = deleteSpec{}
	if n.Kind == yaml.ScalarNode {
		return d.Mailbox.UnmarshalYAML(n)
	}
	var p plainDelete
	if err := engine.Strict(n, &p); err != nil {
		return err
	}
	*d = deleteSpec(p)
	return nil
}

// moveSpec is `move: { mailbox, uids, to }`.
type moveSpec struct {
	// Mailbox holds the messages; INBOX by default.
	Mailbox engine.Template `yaml:"mailbox"`
	UIDs    *uidList        `yaml:"uids"`
	To      engine.Template `yaml:"to"`
}

// sendForms lists the forms of send, for messages.
const sendForms = "{ append: { mailbox, mail | raw } }, { create: NAME }, { delete: { mailbox, uids } }, { move: { mailbox, uids, to } }, { store: { mailbox, uids, add | remove | set: [FLAG] } } or { command: LINE }"

// sendAction is send.
type sendAction struct {
	spec sendSpec
	form string
}

// Result is a StoreResult for store, a CommandResult for command, else a
// SendResult (engine.TypedAction).
func (a *sendAction) Result() any {
	switch a.form {
	case "store":
		return StoreResult{}
	case "command":
		return CommandResult{}
	}
	return SendResult{}
}

// sendKeys are the forms of send, of which it takes one.
var sendKeys = engine.OneOf{Keys: []string{"append", "create", "delete", "move", "store", "command"}, Usage: "imap send takes one of " + sendForms}

// decodeSend compiles send.
func decodeSend(d *engine.Decoder) (engine.TypedAction, error) {
	a := &sendAction{}
	if d.Value == nil || d.Value.Kind != yaml.MappingNode {
		return a, d.Errorf(d.Value, "imap send takes %s", sendForms)
	}
	// The result type follows the form given, even when its value has
	// errors, so that the step's expressions are checked against it.
	for _, k := range sendKeys.Keys {
		if engine.MapKey(d.Value, k) != nil && a.form == "" {
			a.form = k
		}
	}
	if err := d.Load(d.Value, &a.spec); err != nil {
		return a, err
	}
	form, err := sendKeys.Check(d.Value)
	if err == nil && engine.IsNull(engine.MapValue(d.Value, form)) {
		err = d.Errorf(d.Value, "%s", sendKeys.Usage)
	}
	if err != nil {
		return a, err
	}
	if err := a.spec.check(d, form, engine.MapKey(d.Value, form)); err != nil {
		return a, err
	}
	d.Name = d.Scheme + " " + a.spec.describe(form)
	return a, nil
}

// check checks the form of send given, whose key is at.
func (sp *sendSpec) check(d *engine.Decoder, form string, at *yaml.Node) error {
	switch form {
	case "append":
		if (sp.Append.Mail != nil) == sp.Append.Raw.IsSet() {
			return d.Errorf(at, "append takes mail: { from, to, subject, text, ... } or raw: TEXT, one of them")
		}
		if err := checkFlags(sp.Append.Flags, "flags"); err != nil {
			return err
		}
		if sp.Append.Mail != nil {
			return sp.Append.Mail.Check(d, at)
		}
	case "delete":
		if sp.Delete.UIDs == nil && !sp.Delete.Mailbox.IsSet() {
			return d.Errorf(at, "delete takes uids to remove messages, or a mailbox to delete it")
		}
	case "move":
		if sp.Move.UIDs == nil || !sp.Move.To.IsSet() {
			return d.Errorf(at, "move takes uids and to (and mailbox, INBOX by default)")
		}
	case "store":
		return checkStore(d, sp.Store, at)
	case "command":
		return checkCommand(d, &sp.Command, at)
	}
	return nil
}

// describe renders the form of send given for the step's default name.
func (sp *sendSpec) describe(form string) string {
	switch form {
	case "append":
		return "append to " + sourceOr(&sp.Append.Mailbox, "INBOX")
	case "create":
		return "create " + sp.Create.Source()
	case "delete":
		if sp.Delete.UIDs != nil {
			return "delete messages in " + sourceOr(&sp.Delete.Mailbox, "INBOX")
		}
		return "delete mailbox " + sp.Delete.Mailbox.Source()
	case "store":
		_, _, verb := sp.Store.op()
		return "store " + verb + " in " + sourceOr(&sp.Store.Mailbox, "INBOX")
	case "command":
		return lineproto.HidePassword(sp.Command.Source())
	}
	return "move messages to " + sp.Move.To.Source()
}

// sourceOr returns the source of t, or def when t is not set.
func sourceOr(t *engine.Template, def string) string {
	if t.IsSet() {
		return t.Source()
	}
	return def
}

// Do carries out the send form.
func (a *sendAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	sp := &a.spec
	switch {
	case sp.Append != nil:
		return c.doAppend(ctx, s, sp.Append)
	case sp.Create.IsSet():
		name, err := sp.Create.String(s)
		if err != nil {
			return nil, fmt.Errorf("create: %w", err)
		}
		return c.mailboxCommand(ctx, s, "CREATE", name, func() error { return c.client.Create(name, nil).Wait() })
	case sp.Delete != nil && sp.Delete.UIDs == nil:
		name, err := sp.Delete.Mailbox.String(s)
		if err != nil {
			return nil, fmt.Errorf("delete mailbox: %w", err)
		}
		return c.mailboxCommand(ctx, s, "DELETE", name, func() error { return c.client.Delete(name).Wait() })
	case sp.Delete != nil:
		return c.doMessages(ctx, s, &sp.Delete.Mailbox, sp.Delete.UIDs, nil)
	case sp.Store != nil:
		return c.doStore(ctx, s, sp.Store)
	case sp.Command.IsSet():
		return c.doCommand(ctx, s, &sp.Command)
	}
	return c.doMessages(ctx, s, &sp.Move.Mailbox, sp.Move.UIDs, &sp.Move.To)
}

// mailboxCommand runs CREATE or DELETE of a mailbox.
func (c *conn) mailboxCommand(ctx context.Context, s *engine.Session, verb, name string, run func() error) (any, error) {
	end, err := c.begin(ctx, s)
	if err != nil {
		return nil, err
	}
	defer end()
	if err := run(); err != nil {
		return nil, c.fail(ctx, fmt.Sprintf("%s %q", verb, name), err)
	}
	return SendResult{Mailbox: name, UIDs: []uint32{}}, nil
}

// doAppend builds or takes the message and appends it.
func (c *conn) doAppend(ctx context.Context, s *engine.Session, sp *appendSpec) (any, error) {
	mailbox, err := textOr(s, "mailbox", &sp.Mailbox, "INBOX")
	if err != nil {
		return nil, err
	}
	res := SendResult{Mailbox: mailbox, UIDs: []uint32{}}
	var raw []byte
	if sp.Mail != nil {
		spec, err := sp.Mail.Spec(s)
		if err != nil {
			return nil, err
		}
		if raw, res.MessageID, err = mail.Build(spec); err != nil {
			return nil, fmt.Errorf("build the mail: %w", err)
		}
	} else {
		text, err := sp.Raw.String(s)
		if err != nil {
			return nil, fmt.Errorf("raw: %w", err)
		}
		raw = []byte(mail.CRLF(text))
	}
	flags, err := evalFlags(s, sp.Flags, "flags")
	if err != nil {
		return nil, err
	}
	opts := &imap.AppendOptions{Flags: flags}
	res.Size = len(raw)
	end, err := c.begin(ctx, s)
	if err != nil {
		return nil, err
	}
	defer end()
	cmd := c.client.Append(mailbox, int64(len(raw)), opts)
	_, werr := cmd.Write(raw)
	cerr := cmd.Close()
	data, err := cmd.Wait()
	for _, e := range []error{err, werr, cerr} {
		if e != nil {
			return nil, c.fail(ctx, fmt.Sprintf("APPEND to %q", mailbox), e)
		}
	}
	res.UID = uint32(data.UID)
	return res, nil
}

// doMessages removes the messages uids from mailbox, or moves them to
// the mailbox to when to is given.
func (c *conn) doMessages(ctx context.Context, s *engine.Session, box *engine.Template, uids *uidList, to *engine.Template) (any, error) {
	p, err := pick(s, box, uids)
	if err != nil {
		return nil, err
	}
	var dest string
	if to != nil {
		if dest, err = textOr(s, "to", to, ""); err != nil {
			return nil, err
		}
		if dest == "" {
			return nil, fmt.Errorf("move: to is empty")
		}
	}
	err = c.onPicked(ctx, s, p, func() error {
		if to != nil {
			return c.move(ctx, p.set, dest)
		}
		return c.remove(ctx, s, p.mailbox, p.set)
	})
	if err != nil {
		return nil, err
	}
	return SendResult{Mailbox: p.mailbox, UIDs: p.uids}, nil
}

// remove marks the messages \Deleted and expunges them: UID EXPUNGE with
// UIDPLUS, else EXPUNGE, which removes every message marked \Deleted.
func (c *conn) remove(ctx context.Context, s *engine.Session, mailbox string, set imap.UIDSet) error {
	store := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}
	if err := c.client.Store(set, store, nil).Close(); err != nil {
		return c.fail(ctx, `UID STORE +FLAGS.SILENT (\Deleted)`, err)
	}
	caps := c.client.Caps()
	if caps.Has(imap.CapUIDPlus) || caps.Has(imap.CapIMAP4rev2) {
		if err := c.client.UIDExpunge(set).Close(); err != nil {
			return c.fail(ctx, "UID EXPUNGE", err)
		}
		return nil
	}
	s.Note(`the server has no UIDPLUS: EXPUNGE removes every message marked \Deleted in %s`, mailbox)
	if err := c.client.Expunge().Close(); err != nil {
		return c.fail(ctx, "EXPUNGE", err)
	}
	return nil
}

// move moves the messages to dest: UID MOVE, or UID COPY, \Deleted and
// EXPUNGE when the server has no MOVE.
func (c *conn) move(ctx context.Context, set imap.UIDSet, dest string) error {
	if _, err := c.client.Move(set, dest).Wait(); err != nil {
		return c.fail(ctx, fmt.Sprintf("UID MOVE to %q", dest), err)
	}
	return nil
}
