package mail_test

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var update = flag.Bool("update", false, "rewrite the generated fixtures in testdata")

// gbk encodes s in GBK with golang.org/x/text, so that the fixtures'
// bytes are known to be right rather than typed by hand.
func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("gbk %q: %v", s, err)
	}
	return b
}

// b64 is base64 for encoded words and bodies.
func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// qWord renders b as the payload of an RFC 2047 Q word.
func qWord(b []byte) string {
	var out bytes.Buffer
	for _, c := range b {
		fmt.Fprintf(&out, "=%02X", c)
	}
	return out.String()
}

// gbkMail is a Foxmail-style GBK mail: GBK B and Q encoded words (the
// subject split in the middle of a character across two words), a raw GBK
// header, and an 8bit GBK body.
func gbkMail(t *testing.T) []byte {
	subject := gbk(t, "季度报告：请查收")
	var b bytes.Buffer
	b.WriteString("Received: from mx.example.cn (mx.example.cn [192.0.2.10])\n" +
		"\tby mail.example.test with ESMTP id 4A2B3C; Wed, 05 Mar 2025 09:00:01 +0800\n")
	fmt.Fprintf(&b, "From: =?GBK?B?%s?= <zhangsan@example.cn>\n", b64(gbk(t, "张三")))
	fmt.Fprintf(&b, "To: =?gbk?Q?%s?= <lisi@example.test>, wangwu@example.test\n", qWord(gbk(t, "李四")))
	fmt.Fprintf(&b, "Subject: =?GBK?B?%s?=\n =?GBK?B?%s?=\n", b64(subject[:5]), b64(subject[5:]))
	b.WriteString("X-Mailer: Foxmail 7.2.25.228[cn]\n")
	b.WriteString("X-Raw-Note: ")
	b.Write(gbk(t, "备注：内部"))
	b.WriteString("\nDate: Wed, 5 Mar 2025 09:00:00 +0800\n" +
		"Message-ID: <20250305090000.1234@example.cn>\n" +
		"MIME-Version: 1.0\n" +
		"Content-Type: text/plain; charset=\"GBK\"\n" +
		"Content-Transfer-Encoding: 8bit\n\n")
	b.Write(gbk(t, "你好，李四：\n\n附件是本季度的报告，请查收。\n"))
	return b.Bytes()
}

// gb2312Mail is a GB2312 multipart/alternative: a base64 text part and a
// quoted-printable HTML part.
func gb2312Mail(t *testing.T) []byte {
	var html bytes.Buffer
	qp := quotedprintable.NewWriter(&html)
	if _, err := qp.Write(gbk(t, "<p>您好！这是<b>GB2312</b>编码的邮件。</p>")); err != nil {
		t.Fatal(err)
	}
	if err := qp.Close(); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: =?gb2312?B?%s?= <wangwu@example.cn>\n", b64(gbk(t, "王五")))
	b.WriteString("To: alice@example.test\n")
	fmt.Fprintf(&b, "Subject: =?gb2312?B?%s?=\n", b64(gbk(t, "GB2312 测试")))
	b.WriteString("Date: Thu, 06 Mar 2025 10:20:30 +0800\n" +
		"Message-ID: <gb2312.1@example.cn>\n" +
		"MIME-Version: 1.0\n" +
		"Content-Type: multipart/alternative; boundary=\"----=_NextPart_000_0001\"\n\n" +
		"------=_NextPart_000_0001\n" +
		"Content-Type: text/plain; charset=gb2312\n" +
		"Content-Transfer-Encoding: base64\n\n")
	b.WriteString(b64(gbk(t, "您好！这是一封GB2312编码的邮件。\n")))
	b.WriteString("\n\n------=_NextPart_000_0001\n" +
		"Content-Type: text/html; charset=\"GB2312\"\n" +
		"Content-Transfer-Encoding: quoted-printable\n\n")
	b.Write(html.Bytes())
	b.WriteString("\n\n------=_NextPart_000_0001--\n")
	return b.Bytes()
}

// golden checks that testdata/name holds exactly generated, or rewrites it
// with -update, and returns the bytes.
func golden(t *testing.T, name string, generated []byte) []byte {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, generated, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	onDisk, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(onDisk, generated) {
		t.Fatalf("testdata/%s differs from what the test generates (go test -update rewrites it)", name)
	}
	return onDisk
}
