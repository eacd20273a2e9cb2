// Package mailstore is the sandbox's mail store: users, their mailboxes and
// messages, kept in memory and shared by the sandbox's SMTP, IMAP and POP3
// services. Session, in this package, is the IMAP view of the store, for
// go-imap's imapserver.
//
// Every method is safe for concurrent use. Each mailbox keeps an
// imapserver.MailboxTracker, so that a change made through any protocol (a
// delivery, a POP3 deletion, an IMAP expunge) reaches the IMAP sessions that
// have the mailbox selected.
//
// The IMAP parts are adapted from go-imap's imapmemserver (MIT licence).
package mailstore

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
)

// Inbox is the name of the mailbox that mail is delivered to.
const Inbox = "INBOX"

// delim separates the levels of mailbox names.
const delim = '/'

var (
	// ErrNoUser is returned for a user the store does not know.
	ErrNoUser = errors.New("no such user")
	// ErrAuthFailed is returned by Login for an unknown user or a wrong
	// password. It is imapserver.ErrAuthFailed, so that IMAP clients get the
	// standard answer.
	ErrAuthFailed error = imapserver.ErrAuthFailed
)

// Store holds the users and their mailboxes. The set of users is fixed when
// the store is made.
type Store struct {
	users  map[string]*User
	budget *budget // shared by every mailbox of every user
}

// New returns a store with the users of passwords (user name to password),
// each with an empty INBOX.
func New(passwords map[string]string) *Store {
	s := &Store{users: make(map[string]*User, len(passwords)), budget: &budget{}}
	// UIDVALIDITY values start at the time the store is made, as real
	// servers do, so that they differ between sandboxes.
	validity := uint32(time.Now().Unix())
	s.budget.limit.Store(DefaultLimit)
	for name, pw := range passwords {
		u := &User{name: name, password: pw, boxes: map[string]*Mailbox{}, validity: validity, budget: s.budget}
		u.boxes[Inbox] = u.newMailbox(Inbox)
		s.users[name] = u
	}
	return s
}

// User returns the user called name, or nil if there is none.
func (s *Store) User(name string) *User {
	return s.users[name]
}

// Users returns the names of the users, sorted.
func (s *Store) Users() []string {
	return slices.Sorted(maps.Keys(s.users))
}

// Login returns the user called name if password is theirs, and
// ErrAuthFailed otherwise.
func (s *Store) Login(name, password string) (*User, error) {
	u := s.users[name]
	if u == nil || subtle.ConstantTimeCompare([]byte(password), []byte(u.password)) != 1 {
		return nil, ErrAuthFailed
	}
	return u, nil
}

// Deliver appends raw, a whole message, to the INBOX of the user called
// name and returns its UID. raw must not be changed afterwards. It fails
// with ErrStoreFull when the store is full.
func (s *Store) Deliver(name string, raw []byte, received time.Time) (imap.UID, error) {
	u := s.users[name]
	if u == nil {
		return 0, fmt.Errorf("deliver to %q: %w", name, ErrNoUser)
	}
	box, err := u.Mailbox(Inbox)
	if err != nil {
		return 0, fmt.Errorf("deliver to %q: %w", name, err)
	}
	uid, err := box.Append(raw, nil, received)
	if err != nil {
		return 0, fmt.Errorf("deliver to %q: %w", name, err)
	}
	return uid, nil
}

// Delivery is one copy of a message for DeliverAll.
type Delivery struct {
	User string // the user whose INBOX gets it
	Raw  []byte // the whole message; not changed afterwards
}

// DeliverAll appends each message to its user's INBOX, all or none: it
// fails with ErrStoreFull, delivering nothing, when the store has no room
// for all of them, so that a client told to retry (SMTP 452) does not give
// the first recipients a second copy.
func (s *Store) DeliverAll(ds []Delivery, received time.Time) error {
	boxes := make([]*Mailbox, len(ds))
	var total int64
	for i, d := range ds {
		u := s.users[d.User]
		if u == nil {
			return fmt.Errorf("deliver to %q: %w", d.User, ErrNoUser)
		}
		box, err := u.Mailbox(Inbox)
		if err != nil {
			return fmt.Errorf("deliver to %q: %w", d.User, err)
		}
		boxes[i] = box
		total += Charge(len(d.Raw))
	}
	if !s.budget.take(total) {
		return ErrStoreFull
	}
	for i, d := range ds {
		boxes[i].appendTaken(d.Raw, nil, received)
	}
	return nil
}

// User is one user's set of mailboxes.
type User struct {
	name, password string

	budget   *budget // the store's
	mu       sync.Mutex
	boxes    map[string]*Mailbox // by canonical name
	validity uint32              // the last UIDVALIDITY given out
}

// Name returns the user's name.
func (u *User) Name() string { return u.name }

// newMailbox makes a mailbox with a UIDVALIDITY never used before by u. The
// caller holds u.mu, or u is not shared yet.
func (u *User) newMailbox(name string) *Mailbox {
	u.validity++
	return &Mailbox{
		tracker:  imapserver.NewMailboxTracker(0),
		budget:   u.budget,
		validity: u.validity,
		name:     name,
		uidNext:  1,
	}
}

// canonical returns the name under which a mailbox is kept: INBOX in any
// case is INBOX; a trailing delimiter is dropped.
func canonical(name string) string {
	name = strings.TrimRight(name, string(delim))
	if strings.EqualFold(name, Inbox) {
		return Inbox
	}
	return name
}

// noMailbox is the IMAP error for a mailbox that does not exist.
func noMailbox(code imap.ResponseCode) error {
	return &imap.Error{Type: imap.StatusResponseTypeNo, Code: code, Text: "No such mailbox"}
}

// Mailbox returns the mailbox called name.
func (u *User) Mailbox(name string) (*Mailbox, error) {
	var box *Mailbox
	err := u.withBox(canonical(name), func(b *Mailbox) error {
		box = b
		return nil
	})
	return box, err
}

// withBox runs fn on the mailbox kept as name, with u locked, or fails
// when there is none.
func (u *User) withBox(name string, fn func(b *Mailbox) error) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	b := u.boxes[name]
	if b == nil {
		return noMailbox(imap.ResponseCodeNonExistent)
	}
	return fn(b)
}

// cannot is the IMAP error for what the store refuses to do.
func cannot(text string) error {
	return &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeCannot, Text: text}
}

// Create makes an empty mailbox called name.
func (u *User) Create(name string) error {
	name = canonical(name)
	if name == "" {
		return &imap.Error{Type: imap.StatusResponseTypeNo, Text: "Empty mailbox name"}
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.boxes[name] != nil {
		return &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeAlreadyExists, Text: "Mailbox already exists"}
	}
	u.boxes[name] = u.newMailbox(name)
	return nil
}

// Delete removes the mailbox called name and its messages. INBOX cannot be
// deleted.
func (u *User) Delete(name string) error {
	name = canonical(name)
	if name == Inbox {
		return cannot("INBOX cannot be deleted")
	}
	return u.withBox(name, func(b *Mailbox) error {
		delete(u.boxes, name)
		b.mu.Lock()
		gone := make(map[*message]struct{}, len(b.msgs))
		for _, msg := range b.msgs {
			gone[msg] = struct{}{}
		}
		b.expungeLocked(gone) // gives their bytes back
		b.mu.Unlock()
		return nil
	})
}

// Rename gives the mailbox old the name new. Renaming INBOX is refused,
// rather than moving its messages as RFC 3501 would have it.
func (u *User) Rename(old, new string) error {
	old, new = canonical(old), canonical(new)
	if old == Inbox || new == Inbox || new == "" {
		return cannot("Cannot rename to or from INBOX")
	}
	return u.withBox(old, func(b *Mailbox) error {
		if u.boxes[new] != nil {
			return &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeAlreadyExists, Text: "Mailbox already exists"}
		}
		b.mu.Lock()
		b.name = new
		b.mu.Unlock()
		u.boxes[new] = b
		delete(u.boxes, old)
		return nil
	})
}

// Mailboxes returns the user's mailboxes sorted by name.
func (u *User) Mailboxes() []*Mailbox {
	u.mu.Lock()
	names := slices.Sorted(maps.Keys(u.boxes))
	boxes := make([]*Mailbox, len(names))
	for i, n := range names {
		boxes[i] = u.boxes[n]
	}
	u.mu.Unlock()
	return boxes
}
