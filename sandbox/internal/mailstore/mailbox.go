package mailstore

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"github.com/netrunhq/netrun/internal/mail"
)

// Mailbox is a list of messages in the order they arrived, each with a UID
// that only grows. Its UIDVALIDITY does not change for the life of the store.
type Mailbox struct {
	tracker  *imapserver.MailboxTracker // told of every change under mu
	budget   *budget                    // the store's
	validity uint32

	mu         sync.Mutex
	name       string
	subscribed bool
	msgs       []*message
	uidNext    imap.UID
}

// message is one message of a mailbox.
type message struct {
	uid      imap.UID  // immutable
	raw      []byte    // immutable
	received time.Time // immutable

	flags  map[imap.Flag]struct{} // guarded by Mailbox.mu; canonicalFlag forms
	parsed *mail.Message          // guarded by Mailbox.mu; see parse
}

// Message is a copy of what a mailbox holds about one message.
type Message struct {
	// UID is the message's IMAP UID, unique in its mailbox.
	UID imap.UID
	// Raw is the message as delivered. It is shared: do not change it.
	Raw []byte
	// Received is the time the message was stored (IMAP INTERNALDATE).
	Received time.Time
	// Flags are the message's flags, sorted; system flags are spelt as in
	// RFC 3501 (\Seen, \Deleted) whatever case a client used.
	Flags []imap.Flag
}

// Name returns the mailbox's name.
func (m *Mailbox) Name() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.name
}

// UIDValidity returns the mailbox's UIDVALIDITY.
func (m *Mailbox) UIDValidity() uint32 { return m.validity }

// Append adds raw as the newest message with flags and returns its UID. A
// zero received time means now. raw must not be changed afterwards. It
// fails with ErrStoreFull when the store is full.
func (m *Mailbox) Append(raw []byte, flags []imap.Flag, received time.Time) (imap.UID, error) {
	if !m.budget.take(Charge(len(raw))) {
		return 0, ErrStoreFull
	}
	return m.appendTaken(raw, flags, received), nil
}

// appendTaken is Append once the message's room is taken from the budget.
func (m *Mailbox) appendTaken(raw []byte, flags []imap.Flag, received time.Time) imap.UID {
	if received.IsZero() {
		received = time.Now()
	}
	msg := &message{raw: raw, received: received, flags: map[imap.Flag]struct{}{}}
	for _, f := range flags {
		msg.flags[canonicalFlag(f)] = struct{}{}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	msg.uid = m.uidNext
	m.uidNext++
	m.msgs = append(m.msgs, msg)
	m.tracker.QueueNumMessages(uint32(len(m.msgs)))
	return msg.uid
}

// Messages returns a copy of the mailbox's list of messages, oldest first.
func (m *Mailbox) Messages() []Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Message, len(m.msgs))
	for i, msg := range m.msgs {
		out[i] = Message{UID: msg.uid, Raw: msg.raw, Received: msg.received, Flags: msg.flagList()}
	}
	return out
}

// Remove deletes the messages whose UIDs are in uids, whatever their flags,
// and returns how many it found. Messages already gone are skipped.
func (m *Mailbox) Remove(uids []imap.UID) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	gone := map[*message]struct{}{}
	for _, msg := range m.msgs {
		if slices.Contains(uids, msg.uid) {
			gone[msg] = struct{}{}
		}
	}
	m.expungeLocked(gone)
	return len(gone)
}

// expungeLocked removes the messages of gone and tells the tracker, from the
// highest sequence number down so that each number is valid when reported.
// It returns the sequence numbers removed, in that order.
func (m *Mailbox) expungeLocked(gone map[*message]struct{}) []uint32 {
	if len(gone) == 0 {
		return nil
	}
	var seqNums []uint32
	for i := len(m.msgs) - 1; i >= 0; i-- {
		if _, ok := gone[m.msgs[i]]; ok {
			m.budget.give(Charge(len(m.msgs[i].raw)))
			seqNums = append(seqNums, uint32(i)+1)
			m.tracker.QueueExpunge(uint32(i) + 1)
		}
	}
	m.msgs = slices.DeleteFunc(m.msgs, func(msg *message) bool {
		_, ok := gone[msg]
		return ok
	})
	return seqNums
}

// status returns the STATUS data the options ask for.
func (m *Mailbox) status(options *imap.StatusOptions) *imap.StatusData {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.statusLocked(options)
}

func (m *Mailbox) statusLocked(options *imap.StatusOptions) *imap.StatusData {
	data := imap.StatusData{Mailbox: m.name}
	n := uint32(len(m.msgs))
	if options.NumMessages {
		data.NumMessages = &n
	}
	if options.UIDNext {
		data.UIDNext = m.uidNext
	}
	if options.UIDValidity {
		data.UIDValidity = m.validity
	}
	if options.NumUnseen {
		unseen := n - m.countLocked(imap.FlagSeen)
		data.NumUnseen = &unseen
	}
	if options.NumDeleted {
		deleted := m.countLocked(imap.FlagDeleted)
		data.NumDeleted = &deleted
	}
	if options.Size {
		var size int64
		for _, msg := range m.msgs {
			size += int64(len(msg.raw))
		}
		data.Size = &size
	}
	if options.NumRecent {
		recent := uint32(0)
		data.NumRecent = &recent
	}
	return &data
}

// countLocked returns how many messages have flag.
func (m *Mailbox) countLocked(flag imap.Flag) uint32 {
	var n uint32
	for _, msg := range m.msgs {
		if _, ok := msg.flags[canonicalFlag(flag)]; ok {
			n++
		}
	}
	return n
}

// list returns the LIST data of the mailbox, or nil when options leave it out.
func (m *Mailbox) list(options *imap.ListOptions) *imap.ListData {
	m.mu.Lock()
	defer m.mu.Unlock()
	if options.SelectSubscribed && !m.subscribed {
		return nil
	}
	if options.SelectSpecialUse {
		return nil // no special-use mailboxes
	}
	data := imap.ListData{Mailbox: m.name, Delim: delim}
	if m.subscribed {
		data.Attrs = append(data.Attrs, imap.MailboxAttrSubscribed)
	}
	if options.ReturnStatus != nil {
		data.Status = m.statusLocked(options.ReturnStatus)
	}
	return &data
}

// selectDataLocked returns the SELECT data of the mailbox.
func (m *Mailbox) selectDataLocked() *imap.SelectData {
	seen := map[imap.Flag]struct{}{}
	var first uint32
	for i, msg := range m.msgs {
		for f := range msg.flags {
			seen[f] = struct{}{}
		}
		if _, ok := msg.flags[canonicalFlag(imap.FlagSeen)]; !ok && first == 0 {
			first = uint32(i) + 1
		}
	}
	flags := systemFlags()
	for f := range seen {
		if !slices.Contains(flags, f) {
			flags = append(flags, f)
		}
	}
	permanent := append(slices.Clone(flags), imap.FlagWildcard)
	return &imap.SelectData{
		Flags:             flags,
		PermanentFlags:    permanent,
		NumMessages:       uint32(len(m.msgs)),
		FirstUnseenSeqNum: first,
		UIDNext:           m.uidNext,
		UIDValidity:       m.validity,
	}
}

// flagList returns the message's flags. The caller holds Mailbox.mu.
func (msg *message) flagList() []imap.Flag {
	flags := make([]imap.Flag, 0, len(msg.flags))
	for f := range msg.flags {
		flags = append(flags, f)
	}
	slices.Sort(flags)
	return flags
}

// store changes the message's flags as STORE asks. The caller holds
// Mailbox.mu.
func (msg *message) store(s *imap.StoreFlags) {
	switch s.Op {
	case imap.StoreFlagsSet:
		clear(msg.flags)
		fallthrough
	case imap.StoreFlagsAdd:
		for _, f := range s.Flags {
			msg.flags[canonicalFlag(f)] = struct{}{}
		}
	case imap.StoreFlagsDel:
		for _, f := range s.Flags {
			delete(msg.flags, canonicalFlag(f))
		}
	}
}

// hasFlag reports whether the message has flag. The caller holds
// Mailbox.mu.
func (msg *message) hasFlag(f imap.Flag) bool {
	_, ok := msg.flags[canonicalFlag(f)]
	return ok
}

// systemFlags returns the flags of RFC 3501, which a client may spell in any
// case.
func systemFlags() []imap.Flag {
	return []imap.Flag{imap.FlagSeen, imap.FlagAnswered, imap.FlagFlagged, imap.FlagDeleted, imap.FlagDraft}
}

// canonicalFlag returns the form a flag is kept in: a system flag in its RFC
// spelling, since those compare case-insensitively; a keyword as given.
func canonicalFlag(f imap.Flag) imap.Flag {
	for _, sf := range systemFlags() {
		if strings.EqualFold(string(f), string(sf)) {
			return sf
		}
	}
	return f
}
