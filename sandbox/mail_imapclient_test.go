package sandbox

import (
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
)

// TestIMAPClient drives imap with go-imap's own client, which the IMAP step
// uses: STARTTLS, AUTHENTICATE PLAIN, UID SEARCH (ESEARCH), BODY.PEEK,
// UID STORE plus UID EXPUNGE, MOVE and APPEND.
func TestIMAPClient(t *testing.T) {
	s := newSandbox(t, Options{})
	deliver(t, s, testMail("c1"), testMail("c2"), testMail("c3"))
	c, err := imapclient.DialStartTLS(address(t, s, "imap"), &imapclient.Options{TLSConfig: clientTLS(t, s, "127.0.0.1")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Authenticate(sasl.NewPlainClient("", "alice", "secret")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	crit := &imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "X-Netrun-Token", Value: "c2"}}}
	found, err := c.UIDSearch(crit, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	uids := found.AllUIDs()
	if len(uids) != 1 || uids[0] != 2 {
		t.Fatalf("UID SEARCH: %v, want [2]", uids)
	}
	section := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, Flags: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || !strings.Contains(string(msgs[0].FindBodySection(section)), "Subject: hello c2") || len(msgs[0].Flags) != 0 {
		t.Fatalf("UID FETCH BODY.PEEK[]: %+v", msgs)
	}
	// A UID STORE that is not silent answers with the UID in each FETCH
	// response (RFC 3501 6.4.8).
	stored, err := c.Store(imap.UIDSetNum(2), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagFlagged}}, nil).Collect()
	if err != nil || len(stored) != 1 || stored[0].UID != 2 || !slices.Equal(stored[0].Flags, []imap.Flag{imap.FlagFlagged}) {
		t.Fatalf("UID STORE +FLAGS (\\Flagged): %+v, %v", stored, err)
	}
	if err := c.Store(imap.UIDSetNum(2), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.UIDExpunge(imap.UIDSetNum(2)).Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Create("Done", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	moved, err := c.Move(imap.UIDSetNum(3), "Done").Wait()
	if err != nil || moved.DestUIDs.String() != "1" {
		t.Fatalf("MOVE: %+v, %v", moved, err)
	}
	msg := "Subject: appended by imapclient\r\n\r\nhi\r\n"
	app := c.Append("INBOX", int64(len(msg)), nil)
	if _, err := app.Write([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	if err := app.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := app.Wait()
	if err != nil || data.UID != 4 {
		t.Fatalf("APPEND: %+v, %v", data, err)
	}
	var subjects []string
	for _, m := range inbox(t, s, "alice") {
		subjects = append(subjects, strings.SplitN(string(m.Raw[strings.Index(string(m.Raw), "Subject: "):]), "\r\n", 2)[0])
	}
	if got := strings.Join(subjects, "|"); got != "Subject: hello c1|Subject: appended by imapclient" {
		t.Fatalf("INBOX holds %q", got)
	}
	if err := c.Logout().Wait(); err != nil {
		t.Fatal(err)
	}
}
