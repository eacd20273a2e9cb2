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
	_, err := storeOps.Check(engine.MapValue(d.Value, "store"))
	return err
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
	mailbox, err := textOr(s, "mailbox", &sp.Mailbox, "INBOX")
	if err != nil {
		return nil, err
	}
	set, err := sp.UIDs.eval(s)
	if err != nil {
		return nil, err
	}
	op, given, verb := sp.op()
	flags := make([]imap.Flag, 0, len(given))
	for i := range given {
		f, err := given[i].String(s)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		if f = strings.TrimSpace(f); f == "" || strings.ContainsAny(f, " ()\r\n\"{") {
			return nil, fmt.Errorf("store: %q is not a flag: a flag is one word, such as \\Flagged or $Label", f)
		}
		flags = append(flags, imap.Flag(f))
	}
	nums, _ := set.Nums()
	res := StoreResult{Mailbox: mailbox, UIDs: make([]uint32, 0, len(nums)), Messages: []Flags{}}
	for _, u := range nums {
		res.UIDs = append(res.UIDs, uint32(u))
	}
	end, err := c.begin(ctx, s)
	if err != nil {
		return nil, err
	}
	defer end()
	if _, err := c.selectMailbox(ctx, mailbox, false); err != nil {
		return nil, err
	}
	if len(nums) == 0 {
		s.Note("no UIDs given: nothing to do")
		return res, nil
	}
	if err := c.client.Store(set, &imap.StoreFlags{Op: op, Silent: true, Flags: flags}, nil).Close(); err != nil {
		return nil, c.fail(ctx, fmt.Sprintf("UID STORE %s.SILENT", verb), err)
	}
	// The flags are read back with UID FETCH rather than taken from
	// STORE's answer, in which some servers leave out the UID.
	msgs, err := c.client.Fetch(set, &imap.FetchOptions{UID: true, Flags: true}).Collect()
	if err != nil {
		return nil, c.fail(ctx, "UID FETCH FLAGS", err)
	}
	slices.SortFunc(msgs, func(a, b *imapclient.FetchMessageBuffer) int { return cmp.Compare(a.UID, b.UID) })
	for _, m := range msgs {
		res.Messages = append(res.Messages, Flags{UID: uint32(m.UID), Flags: flagStrings(m.Flags)})
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
