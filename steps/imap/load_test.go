package imap_test

import (
	"strings"
	"testing"
)

func TestLoadErrors(t *testing.T) {
	errs := harness(t).LoadErrors(`
name: bad
steps:
  - connect: imap://127.0.0.1:143
    auth: { user: a, password: b, mechanism: cram-md5 }
    tls_mode: sometimes
  - fetch: { delete: true, move: Archive }
  - fetch: { search: { since: yesterday } }
  - fetch: { max_size: 1MiB, search: { subjct: x } }
  - send: { create: a, move: { uids: [1], to: b } }
  - send: { append: { mailbox: X } }
  - send: { delete: {} }
  - send: { move: { uids: [1] } }
  - send: { delete: { uids: [{ a: 1 }] } }
  - expect: x
  - fetch: { limit: many }
  - fetch: { max_size: lots }
  - connect: imap://mail.example.test
    tls: { insecure: true }
  - connect: imaps://mail.example.test
    starttls: true
  - connect: imaps://mail.example.test:99999
`)
	want := []string{
		`test.yaml:5:46: auth mechanism "cram-md5": IMAP takes login`,
		`test.yaml:6:15: tls_mode "sometimes"`,
		`test.yaml:7:28: give delete or move, not both`,
		`test.yaml:8:31: since "yesterday": use a date`,
		`test.yaml:9:40: unknown key "subjct" (did you mean "subject"?)`,
		`test.yaml:10:11: imap send takes one of`,
		`test.yaml:11:13: append takes mail`,
		`test.yaml:12:13: delete takes uids to remove messages, or a mailbox`,
		`test.yaml:13:13: move takes uids and to`,
		`test.yaml:14:30: uids takes UIDs`,
		`test.yaml:15:13: imap has no expect action`,
		`test.yaml:16:21: "many" is not a whole number`,
		`test.yaml:17:24: max_size: "lots" is not a size`,
		`test.yaml:19:5: tls options need starttls: true, tls_mode or an imaps:// URL`,
		`test.yaml:21:5: starttls: imaps:// starts with TLS already`,
		`test.yaml:22:14: URL "imaps://mail.example.test:99999": port "99999"`,
	}
	if len(errs) != len(want) {
		t.Fatalf("errors:\n%s", strings.Join(errs, "\n"))
	}
	for i, w := range want {
		if !strings.Contains(errs[i], w) {
			t.Errorf("error %d %q does not contain %q", i+1, errs[i], w)
		}
	}
}

// TestAppendMailHasNoBcc checks that append's mail takes no bcc (a stored
// message has no envelope to hide it in) and that its header names are
// checked at load time, as smtp's are.
func TestAppendMailHasNoBcc(t *testing.T) {
	errs := harness(t).LoadErrors(`
name: bcc
steps:
  - connect: imap://127.0.0.1
  - send: { append: { mail: { from: a@b, bcc: c@d } } }
  - send: { append: { mail: { from: a@b, headers: { "Bad Name": x } } } }
`)
	want := []string{
		`test.yaml:5:42: unknown key "bcc"`,
		`test.yaml:6:65: header name "Bad Name"`,
	}
	if len(errs) != len(want) {
		t.Fatalf("errors:\n%s", strings.Join(errs, "\n"))
	}
	for i, w := range want {
		if !strings.Contains(errs[i], w) {
			t.Errorf("error %d %q does not contain %q", i+1, errs[i], w)
		}
	}
}
