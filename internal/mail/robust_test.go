package mail_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/netrunhq/netrun/internal/mail"
)

// nested builds multipart/mixed nested levels deep; level i holds level
// i+1 and then a text part "level i".
func nested(levels int) string {
	var b strings.Builder
	b.WriteString("From: a@example.test\r\nSubject: deep\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n")
	for i := 0; i < levels; i++ {
		fmt.Fprintf(&b, "--b%d\r\nContent-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n", i, i+1)
	}
	fmt.Fprintf(&b, "--b%d\r\nContent-Type: text/plain\r\n\r\nlevel %d\r\n--b%d--\r\n", levels, levels, levels)
	for i := levels - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d\r\nContent-Type: text/plain\r\n\r\nlevel %d\r\n--b%d--\r\n", i, i, i)
	}
	return b.String()
}

func TestParseBounded(t *testing.T) {
	t.Run("deep nesting", func(t *testing.T) {
		m, err := mail.Parse([]byte(nested(500)))
		if err != nil {
			t.Fatal(err)
		}
		if m.Text != "level 19" || m.Subject != "deep" {
			t.Errorf("text %q, subject %q: want the text at the depth limit", m.Text, m.Subject)
		}
		if m, _ := mail.Parse([]byte(nested(3))); m.Text != "level 3" {
			t.Errorf("shallow: text %q", m.Text)
		}
	})
	t.Run("many parts", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("From: a@example.test\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n")
		for i := 0; i < 30000; i++ {
			b.WriteString("--x\r\nContent-Type: image/png\r\n\r\nA\r\n")
		}
		b.WriteString("--x--\r\n")
		m, _ := mail.Parse([]byte(b.String()))
		if n := len(m.Attachments); n == 0 || n >= 10000 {
			t.Errorf("%d attachments, want fewer than the 10,000 parts cap", n)
		}
	})
	t.Run("huge and hostile headers", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("Subject: " + strings.Repeat("=?a?q?a", 300000) + "\r\n")
		b.WriteString("X-Long: " + strings.Repeat("=?utf-8?B?5Lit?= ", 100000) + "\r\n")
		for i := 0; i < 50000; i++ {
			fmt.Fprintf(&b, "X-H%d: %s\r\n", i, strings.Repeat("v", 20))
		}
		b.WriteString("From: " + strings.Repeat("a", 1<<20) + "@example.test\r\n\r\nbody\r\n")
		start := time.Now()
		m, err := mail.Parse([]byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("took %v: not linear", d)
		}
		if len(m.Subject) != 7*300000 || m.Headers["X-Long"] != strings.Repeat("中", 100000) || m.Text != "body\n" {
			t.Errorf("subject %d bytes, x-long %d bytes, text %q", len(m.Subject), len(m.Headers["X-Long"]), m.Text)
		}
		if len(m.Headers) != 50003 {
			t.Errorf("%d headers", len(m.Headers))
		}
	})
}

func TestParseOddMessages(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		wantErr string
		check   func(*mail.Message) string // returns what is wrong, or ""
	}{
		{"empty", "", "empty message", nil},
		{"blank", " \r\n\r\n", "empty message", nil},
		{"no header", "hello world\n", "no header fields", func(m *mail.Message) string {
			return want(m.Text, "hello world\n")
		}},
		{"header only", "Subject: only\r\n", "", func(m *mail.Message) string {
			return want(m.Subject+"|"+m.Text, "only|")
		}},
		{"multipart without any delimiter", "Content-Type: multipart/mixed; boundary=zz\r\n\r\njust text\r\n", "", func(m *mail.Message) string {
			return want(m.Text, "just text\n")
		}},
		{"multipart without boundary", "Content-Type: multipart/alternative\r\n\r\n--q\r\nContent-Type: text/html\r\n\r\n<b>x</b>\r\n--q--\r\n", "", func(m *mail.Message) string {
			return want(m.HTML, "<b>x</b>")
		}},
		{"corrupt base64 attachment", "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n!!*\r\nAw=\r\n", "", func(m *mail.Message) string {
			return want(fmt.Sprintf("%d %s", len(m.Attachments), m.Attachments[0].ContentType), "1 application/pdf")
		}},
		{"unknown transfer encoding", "Content-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nraw\r\n", "", func(m *mail.Message) string {
			return want(m.Text, "raw\n")
		}},
		{"message/rfc822 and text attachment", "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\ninner body\r\n--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment\r\n\r\nnot the text\r\n--b--\r\n", "", func(m *mail.Message) string {
			return want(fmt.Sprintf("%q %d %s %s", m.Text, len(m.Attachments), m.Attachments[0].ContentType, m.Attachments[1].ContentType),
				`"" 2 message/rfc822 text/plain`)
		}},
		{"raw UTF-8 headers (RFC 6532)", "From: 张三 <z@example.test>\r\nSubject: 直接的 UTF-8\r\n\r\nx", "", func(m *mail.Message) string {
			return want(m.From+"|"+m.Subject, "张三 <z@example.test>|直接的 UTF-8")
		}},
		{"raw GBK header without any charset", "Subject: \xb1\xa8\xb8\xe6\r\n\r\nx", "", func(m *mail.Message) string {
			return want(m.Subject, "\uFFFD")
		}},
		{"date with comment", "Date: Tue, 4 Mar 2025 10:15:30 +0800 (CST)\r\n\r\n", "", func(m *mail.Message) string {
			return want(m.Date.UTC().Format(time.RFC3339), "2025-03-04T02:15:30Z")
		}},
		{"bad date", "Date: yesterday-ish\r\n\r\n", "", func(m *mail.Message) string {
			return want(fmt.Sprintf("%v %s", m.Date.IsZero(), m.Headers["Date"]), "true yesterday-ish")
		}},
		{"text without charset in a GBK message", "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n\xc4\xe3\xba\xc3\r\n--b\r\nContent-Type: text/html; charset=gbk\r\n\r\n<p>\xc4\xe3</p>\r\n--b--\r\n", "", func(m *mail.Message) string {
			return want(m.Text+"|"+m.HTML, "你好|<p>你</p>")
		}},
		{"utf-16 body with BOM", "Content-Type: text/plain; charset=utf-16\r\nContent-Transfer-Encoding: base64\r\n\r\n//5gT31Z\r\n", "", func(m *mail.Message) string {
			return want(m.Text, "你好")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := mail.Parse([]byte(tt.raw))
			if m == nil {
				t.Fatal("nil message")
			}
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if m.Size != len(tt.raw) {
				t.Errorf("size %d", m.Size)
			}
			if tt.check != nil {
				if msg := tt.check(m); msg != "" {
					t.Error(msg)
				}
			}
		})
	}
}

// want returns a complaint when got is not w.
func want(got, w string) string {
	if got == w {
		return ""
	}
	return fmt.Sprintf("got %q, want %q", got, w)
}

// FuzzParse checks that Parse never panics, always returns a message, and
// only ever returns valid UTF-8.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.eml"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(nested(30)))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, _ := mail.Parse(raw)
		if m == nil {
			t.Fatal("nil message")
		}
		strs := append([]string{m.From, m.Subject, m.Text, m.HTML, m.MessageID}, append(m.To, m.Cc...)...)
		for k, v := range m.Headers {
			strs = append(strs, k, v)
		}
		for _, a := range m.Attachments {
			strs = append(strs, a.Filename, a.ContentType)
		}
		for _, s := range strs {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 %q", s)
			}
		}
	})
}
