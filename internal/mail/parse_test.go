package mail_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/netrunhq/netrun/internal/mail"
)

// att is the expected Attachment for content.
func att(filename, ctype, content string) mail.Attachment {
	sum := sha256.Sum256([]byte(content))
	return mail.Attachment{Filename: filename, ContentType: ctype, Size: len(content), SHA256: hex.EncodeToString(sum[:])}
}

// zone is a fixed time zone of offset hours.
func zone(hours int) *time.Location { return time.FixedZone("", hours*3600) }

// checkMessage compares every field of got with want; want.Size is ignored
// (the caller checks it against its input).
func checkMessage(t *testing.T, got, want *mail.Message) {
	t.Helper()
	if got.UID != 0 || got.Number != 0 {
		t.Errorf("uid, number = %d, %d; Parse leaves them to the caller", got.UID, got.Number)
	}
	eq := func(field string, g, w any) {
		t.Helper()
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s:\n got %#v\nwant %#v", field, g, w)
		}
	}
	eq("from", got.From, want.From)
	eq("to", got.To, want.To)
	eq("cc", got.Cc, want.Cc)
	eq("subject", got.Subject, want.Subject)
	if !got.Date.Equal(want.Date) {
		t.Errorf("date: got %v, want %v", got.Date, want.Date)
	}
	eq("message_id", got.MessageID, want.MessageID)
	eq("text", got.Text, want.Text)
	eq("html", got.HTML, want.HTML)
	eq("attachments", got.Attachments, want.Attachments)
	if want.Headers != nil {
		eq("header names", slices.Sorted(maps.Keys(got.Headers)), slices.Sorted(maps.Keys(want.Headers)))
		for k, v := range want.Headers {
			eq("headers["+k+"]", got.Headers[k], v)
		}
	}
}

// crlf turns LF line endings into CRLF.
func crlf(b []byte) []byte {
	return bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
}

func TestParseFixtures(t *testing.T) {
	pdf := "%PDF-1.4\n% fake pdf for netrun tests\n%%EOF\n"
	tests := []struct {
		file string
		gen  func(*testing.T) []byte // generated fixtures are checked against the file
		want mail.Message
	}{{
		file: "gbk.eml",
		gen:  gbkMail,
		want: mail.Message{
			From:      "张三 <zhangsan@example.cn>",
			To:        []string{"李四 <lisi@example.test>", "wangwu@example.test"},
			Cc:        []string{},
			Subject:   "季度报告：请查收",
			Date:      time.Date(2025, 3, 5, 9, 0, 0, 0, zone(8)),
			MessageID: "<20250305090000.1234@example.cn>",
			Headers: map[string]string{
				"Received":                  "from mx.example.cn (mx.example.cn [192.0.2.10]) by mail.example.test with ESMTP id 4A2B3C; Wed, 05 Mar 2025 09:00:01 +0800",
				"From":                      "张三 <zhangsan@example.cn>",
				"To":                        "李四 <lisi@example.test>, wangwu@example.test",
				"Subject":                   "季度报告：请查收",
				"X-Mailer":                  "Foxmail 7.2.25.228[cn]",
				"X-Raw-Note":                "备注：内部",
				"Date":                      "Wed, 5 Mar 2025 09:00:00 +0800",
				"Message-Id":                "<20250305090000.1234@example.cn>",
				"Mime-Version":              "1.0",
				"Content-Type":              `text/plain; charset="GBK"`,
				"Content-Transfer-Encoding": "8bit",
			},
			Text:        "你好，李四：\n\n附件是本季度的报告，请查收。\n",
			Attachments: []mail.Attachment{},
		},
	}, {
		file: "gb2312.eml",
		gen:  gb2312Mail,
		want: mail.Message{
			From:      "王五 <wangwu@example.cn>",
			To:        []string{"alice@example.test"},
			Cc:        []string{},
			Subject:   "GB2312 测试",
			Date:      time.Date(2025, 3, 6, 10, 20, 30, 0, zone(8)),
			MessageID: "<gb2312.1@example.cn>",
			Headers: map[string]string{
				"From": "王五 <wangwu@example.cn>", "To": "alice@example.test", "Subject": "GB2312 测试",
				"Date": "Thu, 06 Mar 2025 10:20:30 +0800", "Message-Id": "<gb2312.1@example.cn>", "Mime-Version": "1.0",
				"Content-Type": `multipart/alternative; boundary="----=_NextPart_000_0001"`,
			},
			Text:        "您好！这是一封GB2312编码的邮件。\n",
			HTML:        "<p>您好！这是<b>GB2312</b>编码的邮件。</p>\n",
			Attachments: []mail.Attachment{},
		},
	}, {
		file: "rfc2231.eml",
		want: mail.Message{
			From:      "Report Bot <bot@example.test>",
			To:        []string{"alice@example.test"},
			Cc:        []string{},
			Subject:   "年度报告",
			Date:      time.Date(2025, 3, 6, 8, 30, 0, 0, time.UTC),
			MessageID: "<rfc2231.1@example.test>",
			Text:      "See the attached reports.",
			Attachments: []mail.Attachment{
				att("年度报告.pdf", "application/pdf", "%PDF-1.4\n% annual report\n%%EOF\n"),
				att("数据汇总.xls", "application/vnd.ms-excel", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00"),
				att("说明.txt", "text/plain", "说明"),
			},
		},
	}, {
		file: "latin1-qp.eml",
		want: mail.Message{
			From:      "René François <rene@example.fr>",
			To:        []string{"Zoë <zoe@example.fr>", "Jürgen <juergen@example.de>"},
			Cc:        []string{},
			Subject:   "Café crème brûlée",
			Date:      time.Date(2025, 3, 7, 12, 0, 0, 0, zone(1)),
			MessageID: "<latin1.qp@example.fr>",
			Text: "Bonjour Zoë,\n\nLe café est prêt. Voici une ligne très longue qui est coupée par un" +
				" saut de ligne doux.\nÀ bientôt.\n",
			Attachments: []mail.Attachment{},
		},
	}, {
		file: "unknown-charset.eml",
		want: mail.Message{
			From:      "someone@example.test",
			To:        []string{"alice@example.test"},
			Cc:        []string{},
			Subject:   "Qapla' and nen",
			Date:      time.Date(2025, 3, 8, 0, 0, 0, 0, time.UTC),
			MessageID: "<unknown.charset@example.test>",
			Headers: map[string]string{
				"From": "someone@example.test", "To": "alice@example.test", "Subject": "Qapla' and nen",
				"Date": "Sat, 08 Mar 2025 00:00:00 GMT", "Message-Id": "<unknown.charset@example.test>",
				"X-Raw": "caf\uFFFD", "Mime-Version": "1.0", "Content-Type": `text/plain; charset="x-klingon"`,
				"Content-Transfer-Encoding": "quoted-printable",
			},
			Text:        "tlhIngan Hol\uFFFD ok\n",
			Attachments: []mail.Attachment{},
		},
	}, {
		file: "nested.eml",
		want: mail.Message{
			From:      "Alice <alice@example.test>",
			To:        []string{"Bob <bob@example.test>"},
			Cc:        []string{`"Doe, Carol" <carol@example.test>`, "dave@example.test"},
			Subject:   "Nested structure",
			Date:      time.Date(2025, 3, 9, 14, 5, 6, 0, zone(-5)),
			MessageID: "<nested.1@example.test>",
			Text:      "Plain body.",
			HTML:      `<p>HTML body <img src="cid:logo@example.test"></p>`,
			Attachments: []mail.Attachment{
				att("", "image/png", "\x89PNG\r\n\x1a\n"),
				att("data.bin", "application/octet-stream", "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09"),
			},
		},
	}, {
		file: "malformed-boundary.eml",
		want: mail.Message{
			From:      "broken@example.test",
			To:        []string{"alice@example.test"},
			Cc:        []string{},
			Subject:   "Malformed boundary",
			Date:      time.Date(2025, 3, 10, 10, 0, 0, 0, time.UTC),
			MessageID: "<malformed.1@example.test>",
			Text:      "The declared boundary is wrong, but the body is readable.",
			HTML:      "<p>truncated: no closing delimiter",
			Attachments: []mail.Attachment{
				att("notes.txt", "text/plain", "notes"),
			},
		},
	}, {
		file: "python-smtplib.eml",
		want: mail.Message{
			From:      "发件人 <sender@example.com>",
			To:        []string{"收件人 <rcpt@example.com>"},
			Cc:        []string{"carol@example.com"},
			Subject:   "Python 测试邮件",
			Date:      time.Date(2025, 3, 4, 10, 15, 30, 0, zone(8)),
			MessageID: "<174105453012.4242.1234567890@seed.example.com>",
			Headers: map[string]string{
				"Content-Type": `multipart/mixed; boundary="===============7289466383785398237=="`,
				"Mime-Version": "1.0", "From": "发件人 <sender@example.com>", "To": "收件人 <rcpt@example.com>",
				"Cc": "carol@example.com", "Subject": "Python 测试邮件", "Date": "Tue, 04 Mar 2025 10:15:30 +0800",
				"Message-Id": "<174105453012.4242.1234567890@seed.example.com>",
			},
			Text: "你好，这是一封测试邮件。\nSecond line.\n",
			Attachments: []mail.Attachment{
				att("report.pdf", "application/octet-stream", pdf),
				att("数据.csv", "text/csv", "a,b\n1,2\n"),
			},
		},
	}}
	for _, tt := range tests {
		var raw []byte
		if tt.gen != nil {
			raw = golden(t, tt.file, tt.gen(t))
		} else {
			var err error
			if raw, err = os.ReadFile(filepath.Join("testdata", tt.file)); err != nil {
				t.Fatal(err)
			}
		}
		for _, form := range []struct {
			name string
			raw  []byte
		}{{"lf", raw}, {"crlf", crlf(raw)}} {
			t.Run(tt.file+"/"+form.name, func(t *testing.T) {
				got, err := mail.Parse(form.raw)
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if got.Size != len(form.raw) {
					t.Errorf("size = %d, want %d", got.Size, len(form.raw))
				}
				checkMessage(t, got, &tt.want)
			})
		}
	}
}
