package mailstore

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
)

// AppendLimit is the largest message, in bytes, that IMAP APPEND takes.
const AppendLimit = 25 << 20

// Caps returns the IMAP capabilities that Session supports, for
// imapserver.Options.Caps.
func Caps() imap.CapSet {
	return imap.CapSet{
		imap.CapIMAP4rev1:  {},
		imap.CapNamespace:  {},
		imap.CapUIDPlus:    {},
		imap.CapMove:       {},
		imap.CapESearch:    {},
		imap.CapSearchRes:  {},
		imap.CapStatusSize: {},
	}
}

// Session is one IMAP connection's view of the store. It implements
// imapserver.Session with NAMESPACE, MOVE and an APPEND limit. Authenticate
// with LOGIN or AUTHENTICATE PLAIN (imapserver maps PLAIN onto Login).
type Session struct {
	store *Store
	user  *User // nil until Login

	// sel is the selected mailbox, or nil. imapserver calls every method
	// from the connection's goroutine, but for Idle, which it may still be
	// running when it calls Close: mu orders those two.
	mu  sync.Mutex
	sel *view
}

var (
	_ imapserver.SessionNamespace   = (*Session)(nil)
	_ imapserver.SessionMove        = (*Session)(nil)
	_ imapserver.SessionAppendLimit = (*Session)(nil)
)

// NewSession returns an IMAP session, not yet logged in.
func (s *Store) NewSession() *Session {
	return &Session{store: s}
}

// Close releases the session's selected mailbox, if any.
func (sess *Session) Close() error {
	sess.unselect()
	return nil
}

// Login logs the user in, or returns ErrAuthFailed.
func (sess *Session) Login(username, password string) error {
	u, err := sess.store.Login(username, password)
	if err != nil {
		return err
	}
	sess.user = u
	return nil
}

// AppendLimit returns the largest message APPEND takes.
func (sess *Session) AppendLimit() uint32 { return AppendLimit }

// Namespace returns the one personal namespace, with "/" as delimiter.
func (sess *Session) Namespace() (*imap.NamespaceData, error) {
	return &imap.NamespaceData{Personal: []imap.NamespaceDescriptor{{Delim: delim}}}, nil
}

// Select selects the named mailbox, read-only when options say so (EXAMINE).
func (sess *Session) Select(name string, options *imap.SelectOptions) (*imap.SelectData, error) {
	box, err := sess.user.Mailbox(name)
	if err != nil {
		return nil, err
	}
	sess.unselect()
	box.mu.Lock()
	defer box.mu.Unlock()
	v := &view{Mailbox: box, tracker: box.tracker.NewSession(), readOnly: options != nil && options.ReadOnly}
	sess.mu.Lock()
	sess.sel = v
	sess.mu.Unlock()
	return box.selectDataLocked(), nil
}

// Unselect leaves the selected mailbox.
func (sess *Session) Unselect() error {
	sess.unselect()
	return nil
}

func (sess *Session) unselect() {
	sess.mu.Lock()
	v := sess.sel
	sess.sel = nil
	sess.mu.Unlock()
	if v != nil {
		v.tracker.Close()
	}
}

// Create makes a mailbox.
func (sess *Session) Create(name string, _ *imap.CreateOptions) error {
	return sess.user.Create(name)
}

// Delete removes a mailbox and its messages.
func (sess *Session) Delete(name string) error {
	return sess.user.Delete(name)
}

// Rename renames a mailbox.
func (sess *Session) Rename(old, new string, _ *imap.RenameOptions) error {
	return sess.user.Rename(old, new)
}

// Subscribe marks a mailbox subscribed.
func (sess *Session) Subscribe(name string) error {
	return sess.subscribe(name, true)
}

// Unsubscribe marks a mailbox not subscribed.
func (sess *Session) Unsubscribe(name string) error {
	return sess.subscribe(name, false)
}

func (sess *Session) subscribe(name string, on bool) error {
	box, err := sess.user.Mailbox(name)
	if err != nil {
		return err
	}
	box.mu.Lock()
	box.subscribed = on
	box.mu.Unlock()
	return nil
}

// List writes the mailboxes matching any of patterns, sorted by name.
func (sess *Session) List(w *imapserver.ListWriter, ref string, patterns []string, options *imap.ListOptions) error {
	if len(patterns) == 0 {
		return w.WriteList(&imap.ListData{Attrs: []imap.MailboxAttr{imap.MailboxAttrNoSelect}, Delim: delim})
	}
	var out []imap.ListData
	for _, box := range sess.user.Mailboxes() {
		name := box.Name()
		match := false
		for _, p := range patterns {
			if imapserver.MatchList(name, delim, ref, p) {
				match = true
				break
			}
		}
		if !match {
			continue
		}
		if data := box.list(options); data != nil {
			out = append(out, *data)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Mailbox < out[j].Mailbox })
	for i := range out {
		if err := w.WriteList(&out[i]); err != nil {
			return err
		}
	}
	return nil
}

// Status returns the STATUS data of a mailbox.
func (sess *Session) Status(name string, options *imap.StatusOptions) (*imap.StatusData, error) {
	box, err := sess.user.Mailbox(name)
	if err != nil {
		return nil, err
	}
	return box.status(options), nil
}

// Append stores the message r holds in the named mailbox.
func (sess *Session) Append(name string, r imap.LiteralReader, options *imap.AppendOptions) (*imap.AppendData, error) {
	box, err := sess.user.Mailbox(name)
	if err != nil {
		return nil, noMailbox(imap.ResponseCodeTryCreate)
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.LimitReader(r, AppendLimit+1)); err != nil {
		return nil, fmt.Errorf("read appended message: %w", err)
	}
	if buf.Len() > AppendLimit {
		return nil, &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeTooBig, Text: "Message too big"}
	}
	uid, err := box.Append(buf.Bytes(), options.Flags, options.Time)
	if err != nil {
		return nil, overQuota()
	}
	return &imap.AppendData{UIDValidity: box.validity, UID: uid}, nil
}

// Poll writes the pending updates of the selected mailbox.
func (sess *Session) Poll(w *imapserver.UpdateWriter, allowExpunge bool) error {
	if sess.sel == nil {
		return nil
	}
	return sess.sel.tracker.Poll(w, allowExpunge)
}

// Idle writes the updates of the selected mailbox as they come, until stop
// is closed.
func (sess *Session) Idle(w *imapserver.UpdateWriter, stop <-chan struct{}) error {
	sess.mu.Lock()
	v := sess.sel
	sess.mu.Unlock()
	if v == nil {
		<-stop
		return nil
	}
	return v.tracker.Idle(w, stop)
}

// Expunge removes the messages flagged \Deleted, only those of uids when not
// nil. The EXPUNGE responses reach the client through Poll. In a mailbox
// selected with EXAMINE it removes nothing, so that CLOSE, which expunges
// through it, still succeeds there.
func (sess *Session) Expunge(_ *imapserver.ExpungeWriter, uids *imap.UIDSet) error {
	if sess.sel.readOnly {
		return nil
	}
	box := sess.sel.Mailbox
	box.mu.Lock()
	defer box.mu.Unlock()
	gone := map[*message]struct{}{}
	for _, msg := range box.msgs {
		if msg.hasFlag(imap.FlagDeleted) && (uids == nil || uids.Contains(msg.uid)) {
			gone[msg] = struct{}{}
		}
	}
	box.expungeLocked(gone)
	return nil
}

// Search returns the messages of the selected mailbox matching criteria.
func (sess *Session) Search(kind imapserver.NumKind, criteria *imap.SearchCriteria, options *imap.SearchOptions) (*imap.SearchData, error) {
	return sess.sel.search(kind, criteria, options), nil
}

// Fetch writes the data options ask for of the messages of numSet.
func (sess *Session) Fetch(w *imapserver.FetchWriter, numSet imap.NumSet, options *imap.FetchOptions) error {
	if err := sess.sel.checkSeqSet("FETCH", numSet); err != nil {
		return err
	}
	return sess.sel.fetch(w, numSet, options)
}

// Store changes the flags of the messages of numSet and, unless the change is
// silent, writes their new flags. In a mailbox selected with EXAMINE it
// changes nothing and answers OK, as Dovecot does (RFC 3501 does not say).
func (sess *Session) Store(w *imapserver.FetchWriter, numSet imap.NumSet, flags *imap.StoreFlags, _ *imap.StoreOptions) error {
	if err := sess.sel.checkSeqSet("STORE", numSet); err != nil {
		return err
	}
	if sess.sel.readOnly {
		return nil
	}
	sess.sel.store(numSet, flags)
	if flags.Silent {
		return nil
	}
	// RFC 3501 6.4.8: the FETCH responses of a UID command hold the UID.
	_, uid := numSet.(imap.UIDSet)
	return sess.sel.fetch(w, numSet, &imap.FetchOptions{Flags: true, UID: uid})
}

// Copy copies the messages of numSet to the mailbox dest.
func (sess *Session) Copy(numSet imap.NumSet, dest string) (*imap.CopyData, error) {
	return sess.transfer(numSet, dest, false)
}

// Move moves the messages of numSet to the mailbox dest. The EXPUNGE
// responses reach the client through Poll, after the COPYUID response.
func (sess *Session) Move(w *imapserver.MoveWriter, numSet imap.NumSet, dest string) error {
	if err := sess.sel.writable(); err != nil {
		return err
	}
	data, err := sess.transfer(numSet, dest, true)
	if err != nil {
		return err
	}
	return w.WriteCopyData(data)
}

// transfer copies the messages of numSet to dest and, when move is set,
// expunges them from the selected mailbox.
func (sess *Session) transfer(numSet imap.NumSet, destName string, move bool) (*imap.CopyData, error) {
	cmd := "COPY"
	if move {
		cmd = "MOVE"
	}
	if err := sess.sel.checkSeqSet(cmd, numSet); err != nil {
		return nil, err
	}
	dest, err := sess.user.Mailbox(destName)
	if err != nil {
		return nil, noMailbox(imap.ResponseCodeTryCreate)
	}
	src := sess.sel.Mailbox
	if dest == src {
		return nil, &imap.Error{Type: imap.StatusResponseTypeNo, Text: "Source and destination mailboxes are identical"}
	}
	var picked []*message
	var flags [][]imap.Flag
	src.mu.Lock()
	sess.sel.forEachLocked(numSet, func(_ uint32, msg *message) {
		picked = append(picked, msg)
		flags = append(flags, msg.flagList())
	})
	src.mu.Unlock()
	// One mailbox locked at a time: two sessions moving in opposite
	// directions must not deadlock. A moved message is in both mailboxes
	// for a moment, never in neither.
	data := &imap.CopyData{UIDValidity: dest.validity}
	for i, msg := range picked {
		uid, err := dest.Append(msg.raw, flags[i], msg.received)
		if err != nil {
			// Dovecot also leaves the copies made so far.
			return nil, overQuota()
		}
		data.SourceUIDs.AddNum(msg.uid)
		data.DestUIDs.AddNum(uid)
	}
	if move {
		gone := map[*message]struct{}{}
		for _, msg := range picked {
			gone[msg] = struct{}{}
		}
		src.mu.Lock()
		src.expungeLocked(gone)
		src.mu.Unlock()
	}
	return data, nil
}

// overQuota is the IMAP answer to a message the full store cannot take, as
// Dovecot's quota plugin gives it (RFC 5530 OVERQUOTA).
func overQuota() error {
	return &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeOverQuota, Text: "Quota exceeded (mailbox for user is full)"}
}
