package mail

import (
	"encoding/base64"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

func TestToUTF8(t *testing.T) {
	tests := []struct {
		labels []string
		enc    encoding.Encoding
		text   string
	}{
		{[]string{"GBK", "gbk", "GB2312", "gb_2312-80", "x-gbk", "CP936", "GB18030", "EUC-CN", "\"gb2312\""}, simplifiedchinese.GBK, "季度报告，请查收"},
		{[]string{"GB18030", "gbk", "gb2312"}, simplifiedchinese.GB18030, "𠀀 and 中文"},
		{[]string{"Big5", "big5-hkscs", "x-x-big5"}, traditionalchinese.Big5, "繁體中文郵件"},
		{[]string{"ISO-8859-1", "latin1", "iso_8859-1", "l1"}, charmap.ISO8859_1, "Café crème"},
		{[]string{"ISO-8859-2"}, charmap.ISO8859_2, "Łódź"},
		{[]string{"ISO-8859-5"}, charmap.ISO8859_5, "Привет"},
		{[]string{"ISO-8859-7"}, charmap.ISO8859_7, "Καλημέρα"},
		{[]string{"ISO-8859-15"}, charmap.ISO8859_15, "Prix: 5€"},
		{[]string{"Windows-1250", "cp1250"}, charmap.Windows1250, "Příliš žluťoučký"},
		{[]string{"windows-1251", "cp1251"}, charmap.Windows1251, "Привет, мир"},
		{[]string{"windows-1252", "cp1252"}, charmap.Windows1252, "“quotes” – €"},
		{[]string{"windows-1256"}, charmap.Windows1256, "مرحبا"},
		{[]string{"Shift_JIS", "sjis", "x-sjis", "ms_kanji"}, japanese.ShiftJIS, "日本語のメール"},
		{[]string{"EUC-JP", "x-euc-jp"}, japanese.EUCJP, "日本語のメール"},
		{[]string{"ISO-2022-JP"}, japanese.ISO2022JP, "日本語のメール"},
		{[]string{"EUC-KR", "ks_c_5601-1987"}, korean.EUCKR, "한국어 메일"},
		{[]string{"KOI8-R"}, charmap.KOI8R, "Привет"},
		{[]string{"KOI8-U"}, charmap.KOI8U, "Привіт"},
		{[]string{"UTF-16", "utf-16be"}, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "UTF-16 中文"},
		{[]string{"UTF-16", "utf-16le"}, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "UTF-16 中文"}, // BOM decides
		{[]string{"UTF-16LE"}, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "UTF-16 中文"},
		{[]string{"utf-8", "UTF8", "us-ascii", ""}, unicode.UTF8, "plain ✓"},
		{[]string{"hz-gb-2312"}, simplifiedchinese.HZGB2312, "中文"},
	}
	for _, tt := range tests {
		b, err := tt.enc.NewEncoder().Bytes([]byte(tt.text))
		if err != nil {
			t.Fatalf("encode %q: %v", tt.text, err)
		}
		for _, label := range tt.labels {
			if got := strings.TrimPrefix(toUTF8(b, label), "\uFEFF"); got != tt.text {
				t.Errorf("toUTF8(%q) = %q, want %q", label, got, tt.text)
			}
		}
	}
	// Unknown charsets and invalid bytes: best-effort UTF-8, never a failure.
	for _, tt := range []struct{ in, label, want string }{
		{"ok \xff\xfe ok", "x-klingon", "ok \uFFFD ok"},
		{"naïve", "x-unknown", "naïve"},
		{"bad \xff", "utf-8", "bad \uFFFD"},
		{"\x81", "gbk", "\uFFFD"},
	} {
		if got := toUTF8([]byte(tt.in), tt.label); got != tt.want {
			t.Errorf("toUTF8(%q, %q) = %q, want %q", tt.in, tt.label, got, tt.want)
		}
	}
}

func TestFallbackCharset(t *testing.T) {
	for in, want := range map[string]string{
		"Content-Type: text/plain; charset=\"GBK\"\r\n":           "GBK",
		"Content-Type: text/plain; CHARSET=gb2312;\r\n":           "gb2312",
		"charset=utf-8\n charset=big5\n":                          "big5",
		"Content-Type: text/plain; charset=utf-16\n":              "",
		"Content-Type: text/plain; charset=x-klingon\n":           "",
		"Content-Type: text/plain\n":                              "",
		"Content-Type: text/plain; charset='iso-8859-1'; x=1\r\n": "iso-8859-1",
	} {
		if got := fallbackCharset([]byte(in)); got != want {
			t.Errorf("fallbackCharset(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDecodeWords(t *testing.T) {
	gbkSubject, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("季度报告"))
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"=?UTF-8?B?5Lit5paH?=", "中文"},
		{"=?utf-8?q?caf=C3=A9_au_lait?=", "café au lait"},
		{"=?UTF-8?B?5Lit?= =?UTF-8?B?5paH?=", "中文"},     // space between words dropped
		{"=?UTF-8?B?5Lit?=\r\n =?UTF-8?B?5paH?=", "中文"}, // folding too
		{"a =?UTF-8?B?5Lit?= b", "a 中 b"},               // other spaces kept
		{"=?UTF-8?B?!!?= x", "=?UTF-8?B?!!?= x"},        // invalid base64: kept raw
		{"=?UTF-8?B?" + b64s([]byte("中文")[:4]) + "?= =?UTF-8?B?" + b64s([]byte("中文")[4:]) + "?=", "中文"},
		{"=?UTF-8?B?5Lit5paH?=x", "中文x"},                // lenient: no space after
		{"=?ISO-8859-1?Q?a?= =?UTF-8?Q?=C3=A9?=", "aé"}, // charsets differ
		{"=?utf-8*zh?B?5Lit?=", "中"},                    // RFC 2231 language
		{"=?utf-8?B?5Lit5paH?", "=?utf-8?B?5Lit5paH?"},  // unterminated
		{"=?utf-8?X?abc?=", "=?utf-8?X?abc?="},          // unknown encoding
		{"=?utf-8?Q?a b?=", "=?utf-8?Q?a b?="},          // space inside
		{"=?x-klingon?Q?Qapla=27?=", "Qapla'"},          // unknown charset
		{"=?gbk?B?" + b64s(gbkSubject[:3]) + "?= =?GBK?B?" + b64s(gbkSubject[3:]) + "?=", "季度报告"},
		{"=?UTF-8?B?5Lit5paH?=", "中文"},
		{"==?UTF-8?Q?x?==", "=x="},
	}
	for _, tt := range tests {
		if got := decodeWords(tt.in); got != tt.want {
			t.Errorf("decodeWords(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseParams(t *testing.T) {
	tests := []struct {
		in, fallback string
		first        string
		params       map[string]string
	}{
		{`text/plain; charset="utf-8"`, "", "text/plain", map[string]string{"charset": "utf-8"}},
		{`Text/HTML;Charset=GBK ; format=flowed`, "", "text/html", map[string]string{"charset": "GBK", "format": "flowed"}},
		{`attachment; filename="a \"b\" c.txt"`, "", "attachment", map[string]string{"filename": `a "b" c.txt`}},
		{`attachment; filename=my file.pdf; size=3`, "", "attachment", map[string]string{"filename": "my file.pdf", "size": "3"}},
		{`attachment; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf`, "", "attachment", map[string]string{"filename": "报告.pdf"}},
		{`attachment; filename*=gbk''%B1%A8%B8%E6.pdf`, "", "attachment", map[string]string{"filename": "报告.pdf"}},
		{`attachment; filename*=''plain.txt`, "", "attachment", map[string]string{"filename": "plain.txt"}},
		{`attachment; filename="old.txt"; filename*=utf-8''new.txt`, "", "attachment", map[string]string{"filename": "new.txt"}},
		{`attachment; filename*1*=%E5%91%8A.pdf; filename*0*=utf-8'en'%E6%8A%A5`, "", "attachment", map[string]string{"filename": "报告.pdf"}},
		{`attachment; filename*0="a"; filename*2="c"`, "", "attachment", map[string]string{"filename": "a"}},
		{`attachment; filename="=?UTF-8?B?5oql5ZGKLnBkZg==?="`, "", "attachment", map[string]string{"filename": "报告.pdf"}},
		{"attachment; filename=\"\xb1\xa8\xb8\xe6.doc\"", "gbk", "attachment", map[string]string{"filename": "报告.doc"}},
		{`multipart/mixed; boundary="=?not-a-word?="`, "", "multipart/mixed", map[string]string{"boundary": "=?not-a-word?="}},
		{`multipart/mixed; boundary===_abc==`, "", "multipart/mixed", map[string]string{"boundary": "==_abc=="}},
		{`inline; junk; filename="x"; filename="y"`, "", "inline", map[string]string{"filename": "x"}},
		{`inline; filename="unterminated`, "", "inline", map[string]string{"filename": "unterminated"}},
		{``, "", "", map[string]string{}},
		{`attachment; filename*=UTF-8''%ZZ%41`, "", "attachment", map[string]string{"filename": "%ZZA"}},
	}
	for _, tt := range tests {
		first, params := parseParams(tt.in, tt.fallback)
		if first != tt.first || !reflect.DeepEqual(params, tt.params) {
			t.Errorf("parseParams(%q) = %q %v, want %q %v", tt.in, first, params, tt.first, tt.params)
		}
	}
}

func TestParseAddressList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{"alice@example.test", []string{"alice@example.test"}},
		{"Alice <alice@example.test>, <bob@example.test>", []string{"Alice <alice@example.test>", "bob@example.test"}},
		{`"Doe, John" <john@example.test>`, []string{`"Doe, John" <john@example.test>`}},
		{"=?UTF-8?B?5byg5LiJ?= <z@example.test>", []string{"张三 <z@example.test>"}},
		{`"=?UTF-8?B?5byg5LiJ?=" <z@example.test>`, []string{"张三 <z@example.test>"}},
		{"张三 <z@example.test>", []string{"张三 <z@example.test>"}},
		{"=?gbk?B?1cXI/Q==?= <z@example.cn>", []string{"张三 <z@example.cn>"}},
		{"undisclosed-recipients:;", []string{}},
		{"Team: a@example.test, b@example.test;", []string{"a@example.test", "b@example.test"}},
		{"alice@example.test (Alice Liddell)", []string{"Alice Liddell <alice@example.test>"}},
		// net/mail rejects these; the lenient split still reads them.
		{`Broken "Quote <x@example.test>, y@example.test`, []string{`"Broken \"Quote" <x@example.test>`, "y@example.test"}},
		{"Bob Smith <bob@example.test>; carol@example.test", []string{"Bob Smith <bob@example.test>", "carol@example.test"}},
		{"just-a-name, z@example.test", []string{"just-a-name", "z@example.test"}},
	}
	for _, tt := range tests {
		if got := parseAddressList(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseAddressList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitHeader(t *testing.T) {
	tests := []struct{ in, hdr, body string }{
		{"A: 1\r\nB: 2\r\n\r\nbody\r\n", "A: 1\r\nB: 2\r\n\r\n", "body\r\n"},
		{"A: 1\nB: 2\n continued\n\nbody", "A: 1\nB: 2\n continued\n\r\n", "body"},
		{"From alice@example.test Mon Jan  1 00:00:00 2025\nA: 1\n\nbody", "A: 1\n\r\n", "body"},
		{"A: 1\nthis is body without a blank line\n", "A: 1\n\r\n", "this is body without a blank line\n"},
		{"A: 1\nB: 2", "A: 1\nB: 2\r\n\r\n", ""},
		{"no header at all\n", "\r\n", "no header at all\n"},
	}
	for _, tt := range tests {
		hdr, body := splitHeader([]byte(tt.in))
		if string(hdr) != tt.hdr || string(body) != tt.body {
			t.Errorf("splitHeader(%q) = %q, %q; want %q, %q", tt.in, hdr, body, tt.hdr, tt.body)
		}
	}
}

// b64s is standard base64.
func b64s(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
