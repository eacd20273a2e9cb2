package mailstore

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
)

func newStore() *Store {
	return New(map[string]string{"alice": "secret", "bob": "secret"})
}

func inbox(t *testing.T, s *Store, user string) *Mailbox {
	t.Helper()
	box, err := s.User(user).Mailbox(Inbox)
	if err != nil {
		t.Fatal(err)
	}
	return box
}

func uids(msgs []Message) []imap.UID {
	var out []imap.UID
	for _, m := range msgs {
		out = append(out, m.UID)
	}
	return out
}

func TestDeliverAndUIDs(t *testing.T) {
	s := newStore()
	for i := range 3 {
		uid, err := s.Deliver("alice", []byte(fmt.Sprintf("Subject: %d\r\n\r\n", i)), time.Now())
		if err != nil || uid != imap.UID(i+1) {
			t.Fatalf("Deliver %d: uid %d, %v", i, uid, err)
		}
	}
	if _, err := s.Deliver("mallory", []byte("x"), time.Now()); !errors.Is(err, ErrNoUser) {
		t.Fatalf("Deliver to an unknown user: %v, want ErrNoUser", err)
	}
	box := inbox(t, s, "alice")
	if n := box.Remove([]imap.UID{2, 99}); n != 1 {
		t.Fatalf("Remove found %d, want 1", n)
	}
	box.Append([]byte("Subject: again\r\n\r\n"), []imap.Flag{`\SEEN`, "$Custom"}, time.Time{})
	msgs := box.Messages()
	if got := uids(msgs); !slices.Equal(got, []imap.UID{1, 3, 4}) {
		t.Fatalf("UIDs %v, want [1 3 4]: UIDs are never reused", got)
	}
	if got := msgs[2].Flags; !slices.Equal(got, []imap.Flag{"$Custom", imap.FlagSeen}) {
		t.Fatalf("flags %q: want system flags in their RFC spelling", got)
	}
	if msgs[2].Received.IsZero() {
		t.Fatal("zero received time not replaced by now")
	}
	if n := len(inbox(t, s, "bob").Messages()); n != 0 {
		t.Fatalf("bob got %d messages", n)
	}
}

func TestLogin(t *testing.T) {
	s := newStore()
	if u, err := s.Login("alice", "secret"); err != nil || u.Name() != "alice" {
		t.Fatalf("Login: %v, %v", u, err)
	}
	for _, c := range [][2]string{{"alice", "wrong"}, {"alice", ""}, {"mallory", "secret"}} {
		if _, err := s.Login(c[0], c[1]); !errors.Is(err, ErrAuthFailed) {
			t.Errorf("Login(%q, %q): %v, want ErrAuthFailed", c[0], c[1], err)
		}
	}
	if got := s.Users(); !slices.Equal(got, []string{"alice", "bob"}) {
		t.Errorf("Users() = %q", got)
	}
}

func TestMailboxes(t *testing.T) {
	u := newStore().User("alice")
	in, err := u.Mailbox("inbox")
	if err != nil || in.Name() != Inbox {
		t.Fatalf("Mailbox(inbox): %v, %v", in, err)
	}
	if err := u.Create("Archive/"); err != nil {
		t.Fatal(err)
	}
	if err := u.Create("Archive"); err == nil {
		t.Fatal("Create twice succeeded")
	}
	archive, _ := u.Mailbox("Archive")
	if archive.UIDValidity() == in.UIDValidity() {
		t.Fatal("two mailboxes share a UIDVALIDITY")
	}
	for _, err := range []error{u.Delete("INBOX"), u.Rename("INBOX", "Old"), u.Rename("Archive", "inbox"), u.Delete("Nowhere")} {
		if err == nil {
			t.Error("want an error")
		}
	}
	if err := u.Rename("Archive", "Old"); err != nil {
		t.Fatal(err)
	}
	if err := u.Delete("Old"); err != nil {
		t.Fatal(err)
	}
	if err := u.Create("Old"); err != nil {
		t.Fatal(err)
	}
	again, _ := u.Mailbox("Old")
	if again.UIDValidity() == archive.UIDValidity() {
		t.Fatal("a re-created mailbox has its old UIDVALIDITY")
	}
	var names []string
	for _, b := range u.Mailboxes() {
		names = append(names, b.Name())
	}
	if !slices.Equal(names, []string{"INBOX", "Old"}) {
		t.Fatalf("Mailboxes() = %q", names)
	}
}

func TestConcurrentUse(t *testing.T) {
	// Deliveries, POP3-style removals and IMAP sessions at once: run with
	// -race. The mailbox trackers panic on inconsistent updates.
	s := newStore()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 50 {
				if _, err := s.Deliver("alice", []byte(fmt.Sprintf("Subject: %d-%d\r\n\r\nbody\r\n", w, i)), time.Now()); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		box := inbox(t, s, "alice")
		for range 50 {
			msgs := box.Messages()
			if len(msgs) > 0 {
				box.Remove([]imap.UID{msgs[0].UID})
			}
		}
	})
	for range 2 {
		wg.Go(func() {
			sess := s.NewSession()
			defer sess.Close()
			if err := sess.Login("alice", "secret"); err != nil {
				t.Error(err)
				return
			}
			for range 20 {
				if _, err := sess.Select("INBOX", nil); err != nil {
					t.Error(err)
					return
				}
				crit := &imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Subject", Value: "1-"}}}
				if _, err := sess.Search(imapserver.NumKindUID, crit, &imap.SearchOptions{}); err != nil {
					t.Error(err)
				}
				all := imap.SeqSet{}
				all.AddRange(1, 0)
				_ = sess.Store(nil, all, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil)
				_ = sess.Expunge(nil, nil)
			}
		})
	}
	wg.Wait()
	box := inbox(t, s, "alice")
	msgs := box.Messages()
	for i := 1; i < len(msgs); i++ {
		if msgs[i].UID <= msgs[i-1].UID {
			t.Fatalf("UIDs out of order: %v", uids(msgs))
		}
	}
	if next, err := box.Append([]byte("x"), nil, time.Time{}); err != nil || next != 201 {
		t.Fatalf("next UID %d, want 201 after 200 deliveries", next)
	}
}
