package mail_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/internal/mail"
)

// writeFile writes content to dir/name and returns the path.
func writeFile(t *testing.T, dir, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// fileAtt is the expected Attachment of a file on disk, hashed here.
func fileAtt(t *testing.T, path, filename, ctype string) mail.Attachment {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return mail.Attachment{Filename: filename, ContentType: ctype, Size: len(b), SHA256: hex.EncodeToString(sum[:])}
}

func TestBuildRoundTrip(t *testing.T) {
	dir := t.TempDir()
	pdf := writeFile(t, dir, "report.pdf", []byte("%PDF-1.4\n\x00\x01\x02 binary \xff\xfe\n%%EOF\n"))
	csv := writeFile(t, dir, "数据.csv", []byte("a,b\r\n1,2\r\n"))
	blob := writeFile(t, dir, "blob", bytes.Repeat([]byte{0, 1, 2, 250, 13, 10}, 50000))
	tests := []struct {
		name       string
		spec       mail.Spec
		want       mail.Message
		wantHeader map[string]string // a subset of Headers
		wantRaw    []string          // regexps the raw bytes must match
		attFiles   map[int][3]string // attachment index → path, filename, content type
	}{{
		name: "plain",
		spec: mail.Spec{From: "alice@example.test", To: []string{"bob@example.test"}, Subject: "Hello", Text: "Hi Bob.\nBye.\n"},
		want: mail.Message{From: "alice@example.test", To: []string{"bob@example.test"}, Cc: []string{},
			Subject: "Hello", Text: "Hi Bob.\nBye.\n", Attachments: []mail.Attachment{}},
		wantRaw: []string{`(?m)^Content-Type: text/plain; charset=UTF-8\r$`, `(?m)^Subject: Hello\r$`},
	}, {
		name: "html",
		spec: mail.Spec{From: "Alice <alice@example.test>", To: []string{"bob@example.test"}, Subject: "HTML",
			HTML: "<h1>Title</h1>\n<p>" + strings.Repeat("long line ", 30) + "</p>\n"},
		want: mail.Message{From: "Alice <alice@example.test>", To: []string{"bob@example.test"}, Cc: []string{},
			Subject: "HTML", HTML: "<h1>Title</h1>\n<p>" + strings.Repeat("long line ", 30) + "</p>\n",
			Attachments: []mail.Attachment{}},
		wantRaw: []string{`(?m)^Content-Type: text/html; charset=UTF-8\r$`},
	}, {
		name: "alternative",
		spec: mail.Spec{From: "alice@example.test", To: []string{"bob@example.test"}, Cc: []string{"carol@example.test"},
			Subject: "Both", Text: "plain version", HTML: "<p>html version</p>"},
		want: mail.Message{From: "alice@example.test", To: []string{"bob@example.test"}, Cc: []string{"carol@example.test"},
			Subject: "Both", Text: "plain version", HTML: "<p>html version</p>", Attachments: []mail.Attachment{}},
		wantRaw: []string{`(?m)^Content-Type: multipart/alternative;`},
	}, {
		name: "attachments",
		spec: mail.Spec{From: "alice@example.test", To: []string{"bob@example.test"}, Subject: "Files", Text: "see files",
			Attachments: []mail.File{
				{Path: pdf},
				{Path: csv},
				{Path: blob, Name: "renamed.dat", ContentType: "application/x-netrun"},
			}},
		want: mail.Message{From: "alice@example.test", To: []string{"bob@example.test"}, Cc: []string{},
			Subject: "Files", Text: "see files"},
		attFiles: map[int][3]string{
			0: {pdf, "report.pdf", "application/pdf"},
			1: {csv, "数据.csv", "text/csv"},
			2: {blob, "renamed.dat", "application/x-netrun"},
		},
		wantRaw: []string{`(?m)^Content-Type: multipart/mixed;`, `(?m)^Content-Transfer-Encoding: base64\r$`},
	}, {
		name: "attachment only",
		spec: mail.Spec{From: "alice@example.test", To: []string{"bob@example.test"}, Subject: "Just a file",
			Attachments: []mail.File{{Path: pdf}}},
		want: mail.Message{From: "alice@example.test", To: []string{"bob@example.test"}, Cc: []string{},
			Subject: "Just a file"},
		attFiles: map[int][3]string{0: {pdf, "report.pdf", "application/pdf"}},
	}, {
		name: "custom headers and bcc",
		spec: mail.Spec{From: "alice@example.test", To: []string{"bob@example.test"}, Bcc: []string{"secret@example.test"},
			Subject: "Token", Text: "t",
			Headers: map[string]string{"X-Netrun-Token": "tok-8f14e45f", "X-Note": "héllo wörld", "Reply-To": "Support <help@example.test>"}},
		want: mail.Message{From: "alice@example.test", To: []string{"bob@example.test"}, Cc: []string{},
			Subject: "Token", Text: "t", Attachments: []mail.Attachment{}},
		wantHeader: map[string]string{"X-Netrun-Token": "tok-8f14e45f", "X-Note": "héllo wörld",
			"Reply-To": `"Support" <help@example.test>`, "Mime-Version": "1.0"},
		wantRaw: []string{`(?m)^X-Netrun-Token: tok-8f14e45f\r$`, `(?m)^X-Note: =\?UTF-8\?[qQbB]\?`},
	}, {
		name: "chinese subject and names",
		spec: mail.Spec{From: "张三 <zhangsan@example.test>", To: []string{"李四 <lisi@example.test>", "wangwu@example.test"},
			Cc: []string{"\"Doe, Carol\" <carol@example.test>"}, Subject: "测试邮件：季度报告 " + strings.Repeat("很长的主题", 12),
			Text: "你好，\n这是正文。\n", HTML: "<p>你好</p>"},
		want: mail.Message{From: "张三 <zhangsan@example.test>", To: []string{"李四 <lisi@example.test>", "wangwu@example.test"},
			Cc: []string{`"Doe, Carol" <carol@example.test>`}, Subject: "测试邮件：季度报告 " + strings.Repeat("很长的主题", 12),
			Text: "你好，\n这是正文。\n", HTML: "<p>你好</p>", Attachments: []mail.Attachment{}},
		wantRaw: []string{`(?m)^From: =\?(?i:utf-8)\?[qQbB]\?[^?]+\?= <zhangsan@example.test>\r$`, `(?m)^ ?=\?UTF-8\?[qQbB]\?`},
	}, {
		name: "given message id and date",
		spec: mail.Spec{From: "alice@example.test", Subject: "ids", Text: "x",
			Headers: map[string]string{"Message-ID": "fixed.1@example.test", "Date": "Tue, 04 Mar 2025 10:15:30 +0800"}},
		want: mail.Message{From: "alice@example.test", To: []string{}, Cc: []string{}, Subject: "ids", Text: "x",
			MessageID: "<fixed.1@example.test>", Date: time.Date(2025, 3, 4, 10, 15, 30, 0, zone(8)),
			Attachments: []mail.Attachment{}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := time.Now().Add(-time.Second)
			raw, id, err := mail.Build(tt.spec)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) ||
				bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\r")) {
				t.Errorf("raw has a bare CR or LF:\n%s", raw)
			}
			for _, re := range tt.wantRaw {
				if !regexp.MustCompile(re).Match(raw) {
					t.Errorf("raw does not match %s:\n%s", re, raw)
				}
			}
			if bytes.Contains(bytes.ToLower(raw), []byte("secret@example.test")) || bytes.Contains(raw, []byte("\nBcc:")) {
				t.Errorf("bcc written into the message:\n%s", raw)
			}
			got, err := mail.Parse(raw)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want := tt.want
			if want.MessageID == "" {
				if !regexp.MustCompile(`^<netrun\.[0-9a-f]{32}@example\.test>$`).MatchString(id) {
					t.Errorf("message id %q", id)
				}
				want.MessageID = id
			} else if id != want.MessageID {
				t.Errorf("Build returned id %q, want %q", id, want.MessageID)
			}
			if want.Date.IsZero() {
				if got.Date.Before(before) || got.Date.After(time.Now().Add(time.Second)) {
					t.Errorf("date %v is not now", got.Date)
				}
				want.Date = got.Date
			}
			if tt.attFiles != nil {
				want.Attachments = make([]mail.Attachment, len(tt.attFiles))
				for i, f := range tt.attFiles {
					want.Attachments[i] = fileAtt(t, f[0], f[1], f[2])
				}
			}
			checkMessage(t, got, &want)
			for k, v := range tt.wantHeader {
				if got.Headers[k] != v {
					t.Errorf("headers[%s] = %q, want %q", k, got.Headers[k], v)
				}
			}
			if got.Headers["Message-Id"] != id {
				t.Errorf("headers[Message-Id] = %q, want %q", got.Headers["Message-Id"], id)
			}
			if got.Size != len(raw) {
				t.Errorf("size = %d, want %d", got.Size, len(raw))
			}
		})
	}
}

func TestBuildErrors(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.bin")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(mail.MaxAttachmentSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	half := filepath.Join(dir, "half.bin")
	h, err := os.Create(half)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Truncate(mail.MaxAttachmentSize/2 + 1); err != nil {
		t.Fatal(err)
	}
	h.Close()
	justRight := filepath.Join(dir, "ok.bin")
	if err := os.WriteFile(justRight, []byte("ok"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := func(mod func(*mail.Spec)) mail.Spec {
		s := mail.Spec{From: "alice@example.test", To: []string{"bob@example.test"}, Subject: "s", Text: "t"}
		mod(&s)
		return s
	}
	tests := []struct {
		name string
		spec mail.Spec
		want string
	}{
		{"no from", base(func(s *mail.Spec) { s.From = "" }), "from is required"},
		{"bad from", base(func(s *mail.Spec) { s.From = "not an address" }), `from "not an address"`},
		{"bad to", base(func(s *mail.Spec) { s.To = []string{"bob@"} }), "mail: to:"},
		{"bad cc", base(func(s *mail.Spec) { s.Cc = []string{"<<>>"} }), "mail: cc:"},
		{"bad bcc", base(func(s *mail.Spec) { s.Bcc = []string{"x"} }), `bcc "x"`},
		{"subject injection", base(func(s *mail.Spec) { s.Subject = "a\r\nBcc: evil@example.test" }), "subject: line breaks"},
		{"header injection", base(func(s *mail.Spec) { s.Headers = map[string]string{"X-A": "1\nX-B: 2"} }), "line breaks"},
		{"bad header name", base(func(s *mail.Spec) { s.Headers = map[string]string{"X A": "1"} }), "not a valid field name"},
		{"reserved header", base(func(s *mail.Spec) { s.Headers = map[string]string{"content-type": "text/html"} }), "set by the message itself"},
		{"reserved subject", base(func(s *mail.Spec) { s.Headers = map[string]string{"SUBJECT": "x"} }), "set by the message itself"},
		{"bad message id", base(func(s *mail.Spec) { s.Headers = map[string]string{"Message-ID": "<>"} }), "not a message id"},
		{"missing file", base(func(s *mail.Spec) { s.Attachments = []mail.File{{Path: filepath.Join(dir, "nope")}} }), "no such file"},
		{"no path", base(func(s *mail.Spec) { s.Attachments = []mail.File{{Name: "x"}} }), "file path is required"},
		{"directory", base(func(s *mail.Spec) { s.Attachments = []mail.File{{Path: dir}} }), "not a regular file"},
		{"too big", base(func(s *mail.Spec) { s.Attachments = []mail.File{{Path: justRight}, {Path: big}} }), "over the limit of 25 MiB"},
		{"too big together", base(func(s *mail.Spec) { s.Attachments = []mail.File{{Path: half}, {Path: half, Name: "again.bin"}} }), "add up to more than the limit of 25 MiB"},
		{"bad content type", base(func(s *mail.Spec) { s.Attachments = []mail.File{{Path: justRight, ContentType: "no slash"}} }), "content type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, id, err := mail.Build(tt.spec)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "mail: ") || raw != nil || id != "" {
				t.Errorf("err %q, raw %d bytes, id %q", err, len(raw), id)
			}
		})
	}
}

func TestBuildEightBit(t *testing.T) {
	spec := mail.Spec{From: "Jörg <joerg@example.test>", Subject: "Grüße", Text: "héllo = world\n.dot\n",
		Headers: map[string]string{"Newsgroups": "local.test"}, EightBit: true}
	raw, id, err := mail.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\r\nContent-Transfer-Encoding: 8bit\r\n", "\r\nSubject: =?UTF-8?q?Gr=C3=BC=C3=9Fe?=\r\n",
		"\r\nNewsgroups: local.test\r\n", "\r\n\r\nhéllo = world\r\n.dot\r\n"} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("8bit message lacks %q:\n%s", want, raw)
		}
	}
	m, err := mail.Parse(raw)
	if err != nil || m.Subject != "Grüße" || m.Text != "héllo = world\n.dot\n" || m.MessageID != id {
		t.Errorf("parsed %+v, %v", m, err)
	}
}
