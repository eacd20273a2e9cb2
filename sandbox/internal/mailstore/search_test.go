package mailstore

import (
	"slices"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
)

// gbkMail is a Chinese mail in GBK: the subject is RFC 2047 encoded and
// the body base64, both "你好" (C4E3 BAC3) and more.
const gbkMail = "From: =?GBK?B?xOO6ww==?= <li@example.test>\r\n" +
	"To: alice@example.test\r\n" +
	"Subject: =?GBK?B?xOO6ww==?= report\r\n" +
	"Date: Mon, 02 Jan 2023 10:00:00 +0800\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/plain; charset=GBK\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"xOO6w6OsysC957rDCg==\r\n"

const plainMail = "From: Carol <carol@example.test>\r\n" +
	"To: bob@example.test\r\n" +
	"Subject: Plain words\r\n" +
	"X-Netrun-Token: tok-42\r\n" +
	"\r\n" +
	"Nothing encoded here.\r\n"

func TestSearch(t *testing.T) {
	s := newStore()
	box := inbox(t, s, "alice")
	old := time.Date(2020, 5, 1, 12, 0, 0, 0, time.UTC)
	box.Append([]byte(gbkMail), nil, old)
	box.Append([]byte(plainMail), []imap.Flag{imap.FlagSeen}, time.Time{})
	sess := s.NewSession()
	if err := sess.Login("alice", "secret"); err != nil {
		t.Fatal(err)
	}
	if _, err := sess.Select("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	header := func(k, v string) *imap.SearchCriteria {
		return &imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: k, Value: v}}}
	}
	tests := []struct {
		name string
		c    *imap.SearchCriteria
		want []uint32
	}{
		{"subject decoded from GBK", header("Subject", "你好"), []uint32{1}},
		{"subject ignores case", header("Subject", "PLAIN"), []uint32{2}},
		{"from", header("From", "carol"), []uint32{2}},
		{"to", header("To", "example.test"), []uint32{1, 2}},
		{"custom header", header("X-Netrun-Token", "tok-42"), []uint32{2}},
		{"header present", header("X-Netrun-Token", ""), []uint32{2}},
		{"text in a GBK base64 body", &imap.SearchCriteria{Text: []string{"世界"}}, []uint32{1}},
		{"text in a header", &imap.SearchCriteria{Text: []string{"tok-42"}}, []uint32{2}},
		{"body without Content-Type", &imap.SearchCriteria{Body: []string{"nothing ENCODED"}}, []uint32{2}},
		{"body skips headers", &imap.SearchCriteria{Body: []string{"tok-42"}}, nil},
		{"since", &imap.SearchCriteria{Since: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)}, []uint32{2}},
		{"before", &imap.SearchCriteria{Before: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)}, []uint32{1}},
		{"sent since", &imap.SearchCriteria{SentSince: time.Date(2023, 1, 2, 0, 0, 0, 0, time.UTC)}, []uint32{1}},
		{"unseen", &imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, []uint32{1}},
		{"seen in any case", &imap.SearchCriteria{Flag: []imap.Flag{`\seen`}}, []uint32{2}},
		{"not", &imap.SearchCriteria{Not: []imap.SearchCriteria{*header("Subject", "plain")}}, []uint32{1}},
		{"or", &imap.SearchCriteria{Or: [][2]imap.SearchCriteria{{*header("Subject", "report"), *header("From", "carol")}}}, []uint32{1, 2}},
		{"larger", &imap.SearchCriteria{Larger: int64(len(plainMail))}, []uint32{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, kind := range []imapserver.NumKind{imapserver.NumKindSeq, imapserver.NumKindUID} {
				data, err := sess.Search(kind, tt.c, &imap.SearchOptions{})
				if err != nil {
					t.Fatal(err)
				}
				var got []uint32
				switch all := data.All.(type) {
				case imap.SeqSet:
					got, _ = all.Nums()
				case imap.UIDSet:
					us, _ := all.Nums()
					for _, u := range us {
						got = append(got, uint32(u))
					}
				}
				if !slices.Equal(got, tt.want) || data.Count != uint32(len(tt.want)) {
					t.Fatalf("%v search: %v (count %d), want %v", kind, got, data.Count, tt.want)
				}
			}
		})
	}
}

func TestExamineIsReadOnly(t *testing.T) {
	s := newStore()
	inbox(t, s, "alice").Append([]byte(plainMail), nil, time.Time{})
	sess := s.NewSession()
	if err := sess.Login("alice", "secret"); err != nil {
		t.Fatal(err)
	}
	if err := sess.Create("Archive", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := sess.Select("INBOX", &imap.SelectOptions{ReadOnly: true}); err != nil {
		t.Fatal(err)
	}
	set := imap.SeqSetNum(1)
	inbox(t, s, "alice").mu.Lock()
	inbox(t, s, "alice").msgs[0].flags[imap.FlagDeleted] = struct{}{}
	inbox(t, s, "alice").mu.Unlock()
	if err := sess.Expunge(nil, nil); err != nil {
		t.Errorf("EXPUNGE (as CLOSE runs it) in a read-only mailbox: %v, want no error", err)
	}
	// STORE answers OK and changes nothing, as Dovecot does.
	if err := sess.Store(nil, set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil); err != nil {
		t.Errorf("STORE in a read-only mailbox: %v, want OK", err)
	}
	if slices.Contains(inbox(t, s, "alice").Messages()[0].Flags, imap.FlagSeen) {
		t.Errorf("STORE changed the flags of a read-only mailbox")
	}
	if err := sess.Move(nil, set, "Archive"); err == nil {
		t.Errorf("MOVE allowed in a mailbox selected with EXAMINE")
	}
	if n := len(inbox(t, s, "alice").Messages()); n != 1 {
		t.Fatalf("%d messages left, want 1", n)
	}
}
