package imap

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// StoreResult is the result of send: { store }.
type StoreResult struct {
	// Mailbox holds the messages.
	Mailbox string `expr:"mailbox" json:"mailbox"`
	// UIDs are the UIDs given.
	UIDs []uint32 `expr:"uids" json:"uids"`
	// Messages are the messages of those UIDs, with the flags each has
	// now (read back with UID FETCH FLAGS), in UID order; a UID that no
	// message has is not there.
	Messages []Flags `expr:"messages" json:"messages"`
}

// Flags are the flags of one message.
type Flags struct {
	UID uint32 `expr:"uid" json:"uid"`
	// Flags are as the server spells them: \Seen, \Flagged, $Label.
	Flags []string `expr:"flags" json:"flags"`
}

// storeSpec is `store: { mailbox, uids, add | remove | set: [FLAG, ...] }`:
// UID STORE +FLAGS, -FLAGS or FLAGS.
type storeSpec struct {
	// Mailbox holds the messages; INBOX by default.
	Mailbox engine.Template `yaml:"mailbox"`
	UIDs    *uidList        `yaml:"uids"`
	// Add, Remove and Set are the flags added, removed, or that replace
	// the message's flags; one of them is given.
	Add    []engine.Template `yaml:"add"`
	Remove []engine.Template `yaml:"remove"`
	Set    []engine.Template `yaml:"set"`
}

// storeOps are the keys of store that say what to do with the flags.
var storeOps = engine.OneOf{What: "store", Keys: []string{"add", "remove", "set"}}

// checkStore checks store's mapping, at is its key.
func checkStore(d *engine.Decoder, sp *storeSpec, at *yaml.Node) error {
	if sp.UIDs == nil {
		return d.Errorf(at, "store takes uids, the messages whose flags change (and mailbox, INBOX by default)")
	}
	if _, err := storeOps.Check(engine.MapValue(d.Value, "store")); err != nil {
		return err
	}
	_, given, _ := sp.op()
	return checkFlags(given, "store")
}

// checkFlags checks at load time the literal flags of given, of what
// (store or flags): the first that is not a flag is the error.
func checkFlags(given []engine.Template, what string) error {
	for i := range given {
		if lit, ok := wire.Literal(&given[i]); ok {
			if err := flagError(what, lit); err != nil {
				return &engine.Error{Pos: given[i].Pos(), Msg: err.Error()}
			}
		}
	}
	return nil
}

// flagError says why f is not a flag, or nil.
func flagError(what, f string) error {
	if f == "" || strings.ContainsAny(f, " ()\r\n\"{}%*]") || strings.Contains(f[1:], "\\") {
		return fmt.Errorf("%s: %q is not a flag: a flag is one word, such as \\Flagged or $Label", what, f)
	}
	return nil
}

// op returns the STORE operation and its flags as given.
func (sp *storeSpec) op() (imap.StoreFlagsOp, []engine.Template, string) {
	switch {
	case sp.Add != nil:
		return imap.StoreFlagsAdd, sp.Add, "+FLAGS"
	case sp.Remove != nil:
		return imap.StoreFlagsDel, sp.Remove, "-FLAGS"
	}
	return imap.StoreFlagsSet, sp.Set, "FLAGS"
}

// doStore changes the flags of the messages uids in their mailbox with
// UID STORE; the result has the flags each message has afterwards.
func (c *conn) doStore(ctx context.Context, s *engine.Session, sp *storeSpec) (any, error) {
	p, err := pick(s, &sp.Mailbox, sp.UIDs)
	if err != nil {
		return nil, err
	}
	op, given, verb := sp.op()
	flags, err := evalFlags(s, given, "store")
	if err != nil {
		return nil, err
	}
	res := StoreResult{Mailbox: p.mailbox, UIDs: p.uids, Messages: []Flags{}}
	err = c.onPicked(ctx, s, p, func() error {
		if err := c.client.Store(p.set, &imap.StoreFlags{Op: op, Silent: true, Flags: flags}, nil).Close(); err != nil {
			return c.fail(ctx, fmt.Sprintf("UID STORE %s.SILENT", verb), err)
		}
		// The flags are read back with UID FETCH rather than taken from
		// STORE's answer, in which some servers leave out the UID.
		msgs, err := c.client.Fetch(p.set, &imap.FetchOptions{UID: true, Flags: true}).Collect()
		if err != nil {
			return c.fail(ctx, "UID FETCH FLAGS", err)
		}
		slices.SortFunc(msgs, func(a, b *imapclient.FetchMessageBuffer) int { return cmp.Compare(a.UID, b.UID) })
		for _, m := range msgs {
			res.Messages = append(res.Messages, Flags{UID: uint32(m.UID), Flags: flagStrings(m.Flags)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// flagStrings returns flags as strings, never nil.
func flagStrings(flags []imap.Flag) []string {
	out := make([]string, 0, len(flags))
	for _, f := range flags {
		out = append(out, string(f))
	}
	return out
}

// picked are the messages a send form acts on.
type picked struct {
	mailbox string
	set     imap.UIDSet
	uids    []uint32 // never nil
}

// pick evaluates the mailbox (INBOX by default) and the UIDs of a form.
func pick(s *engine.Session, box *engine.Template, uids *uidList) (picked, error) {
	mailbox, err := textOr(s, "mailbox", box, "INBOX")
	if err != nil {
		return picked{}, err
	}
	set, err := uids.eval(s)
	if err != nil {
		return picked{}, err
	}
	nums, _ := set.Nums()
	p := picked{mailbox: mailbox, set: set, uids: make([]uint32, 0, len(nums))}
	for _, u := range nums {
		p.uids = append(p.uids, uint32(u))
	}
	return p, nil
}

// onPicked binds the connection to the step, selects p's mailbox
// read-write and runs do, unless p has no UIDs: then there is nothing to
// do, and the transcript says so.
func (c *conn) onPicked(ctx context.Context, s *engine.Session, p picked, do func() error) error {
	end, err := c.begin(ctx, s)
	if err != nil {
		return err
	}
	defer end()
	if _, err := c.selectMailbox(ctx, p.mailbox, false); err != nil {
		return err
	}
	if len(p.uids) == 0 {
		s.Note("no UIDs given: nothing to do")
		return nil
	}
	return do()
}

// evalFlags evaluates the flags of store or append (what), each trimmed
// and checked (flagError).
func evalFlags(s *engine.Session, given []engine.Template, what string) ([]imap.Flag, error) {
	flags := make([]imap.Flag, 0, len(given))
	for i := range given {
		f, err := given[i].String(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		f = strings.TrimSpace(f)
		if err := flagError(what, f); err != nil {
			return nil, err
		}
		flags = append(flags, imap.Flag(f))
	}
	return flags, nil
}
