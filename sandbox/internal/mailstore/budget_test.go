package mailstore

import (
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
)

func TestStoreLimit(t *testing.T) {
	s := New(map[string]string{"alice": "x"})
	s.SetLimit(Charge(3000))
	big := make([]byte, 1000)
	for i := range 3 {
		if _, err := s.Deliver("alice", big, time.Time{}); err != nil {
			t.Fatalf("delivery %d under the limit: %v", i+1, err)
		}
	}
	if _, err := s.Deliver("alice", []byte("x"), time.Time{}); !errors.Is(err, ErrStoreFull) {
		t.Fatalf("delivery over the limit: %v, want ErrStoreFull", err)
	}
	box := inbox(t, s, "alice")
	if n := box.Remove([]imap.UID{1}); n != 1 {
		t.Fatalf("removed %d", n)
	}
	if got := s.Used(); got != Charge(2000) {
		t.Fatalf("used %d after a removal, want %d", got, Charge(2000))
	}
	if _, err := s.Deliver("alice", big, time.Time{}); err != nil {
		t.Fatalf("delivery after a removal gave room: %v", err)
	}
	u := s.User("alice")
	if err := u.Create("Archive"); err != nil {
		t.Fatal(err)
	}
	arch, _ := u.Mailbox("Archive")
	if _, err := arch.Append(big, nil, time.Time{}); !errors.Is(err, ErrStoreFull) {
		t.Fatalf("append over the limit: %v", err)
	}
	box.Remove([]imap.UID{2, 3})
	if _, err := arch.Append(big, nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := u.Delete("Archive"); err != nil {
		t.Fatal(err)
	}
	if got := s.Used(); got != Charge(1000) {
		t.Fatalf("used %d after deleting a mailbox, want %d", got, Charge(1000))
	}
}

// TestStoreReleasesDeletedMail fills the store with 8 mails of 25 MiB, as
// the audit did, and checks that the heap holds no more than the limit
// allows, and that deleted mail is given back to the runtime.
func TestStoreReleasesDeletedMail(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 200 MiB")
	}
	s := New(map[string]string{"alice": "x"})
	var accepted int
	for range 8 {
		if _, err := s.Deliver("alice", make([]byte, 25<<20), time.Time{}); err == nil {
			accepted++
		}
	}
	if want := int(DefaultLimit / Charge(25<<20)); accepted != want {
		t.Fatalf("%d of 8 mails of 25 MiB taken, want %d", accepted, want)
	}
	held := heap()
	if limit := uint64(DefaultLimit/2) + 32<<20; held > limit {
		t.Fatalf("heap %d MiB with a full store, want at most %d MiB", held>>20, limit>>20)
	}
	box := inbox(t, s, "alice")
	var uids []imap.UID
	for _, m := range box.Messages() {
		uids = append(uids, m.UID)
	}
	box.Remove(uids)
	if after := heap(); after > 32<<20 {
		t.Fatalf("heap %d MiB after deleting every mail, want under 32 MiB", after>>20)
	}
}

func heap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
