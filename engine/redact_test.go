package engine

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"mime/quotedprintable"
	"strconv"
	"strings"
	"testing"
)

// awkward holds every character an encoding changes, and non-ASCII.
const awkward = `pa"ss\w<o>&r=d%z/é密`

func qpEncode(s string) string {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.String()
}

func jsonNoHTML(s string) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	_ = e.Encode(s)
	return strings.TrimSpace(b.String())
}

// TestRedactForms checks each form of a secret with awkward characters in
// a larger text: the secret must go, and the text around it stay.
func TestRedactForms(t *testing.T) {
	red := NewRedactor()
	red.Add(awkward)
	goJSON, _ := json.Marshal(awkward)
	pyJSON := `"pa\"ss\\w<o>&r=d%z/\u00e9\u5bc6"`
	cases := map[string]string{
		"plain":             awkward,
		"go json":           string(goJSON),
		"json no html":      jsonNoHTML(awkward),
		"python json":       pyJSON,
		"json slash":        strings.ReplaceAll(pyJSON, "/", `\/`),
		"json of json":      strconv.Quote(string(goJSON)),
		"go quote":          strconv.Quote(awkward),
		"go quote ascii":    strconv.QuoteToASCII(awkward),
		"python bytes repr": `b'pa"ss\\w<o>&r=d%z/\xc3\xa9\xe5\xaf\x86'`,
		"python ascii":      `'pa"ss\\w<o>&r=d%z/\xe9\u5bc6'`,
		"html":              `pa&#34;ss\w&lt;o&gt;&amp;r=d%z/é密`,
		"html quot":         `pa&quot;ss\w&lt;o&gt;&amp;r=d%z/&eacute;&#x5BC6;`,
		"url query":         "pa%22ss%5Cw%3Co%3E%26r%3Dd%25z%2F%C3%A9%E5%AF%86",
		"url lower":         "pa%22ss%5cw%3co%3e%26r%3dd%25z%2f%c3%a9%e5%af%86",
		"quoted-printable":  qpEncode(awkward),
		"qp split":          qpEncode(strings.Repeat("x", 70) + awkward)[70:],
		"hex":               hex.EncodeToString([]byte(awkward)),
		"HEX":               strings.ToUpper(hex.EncodeToString([]byte(awkward))),
		"hex of json":       "0a" + hex.EncodeToString(goJSON),
		"hex odd":           "a" + hex.EncodeToString([]byte(awkward)),
		"base64":            base64.StdEncoding.EncodeToString([]byte(awkward)),
		"base64 url":        base64.RawURLEncoding.EncodeToString([]byte(awkward)),
		"json in html":      `{&#34;pw&#34;:&#34;pa\&#34;ss\\w\u003co\u003e\u0026r=d%z/é密&#34;}`,
	}
	for _, user := range []string{"a", "ab", "abc"} {
		cases["AUTH PLAIN "+user] = base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + awkward + "\x00tail"))
	}
	cases["encoded words"] = "Subject: =?UTF-8?q?x_pa\"ss\\w<o>&r=3Dd%z/?=\r\n =?UTF-8?q?=C3=A9=E5=AF=86?="
	wrapped := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("attachment ", 6) + awkward))
	cases["base64 wrapped"] = wrapped[:76] + "\r\n" + wrapped[76:]
	for name, form := range cases {
		got := red.Redact("BEFORE " + form + " AFTER")
		if !strings.Contains(got, Redacted) || !strings.HasPrefix(got, "BEFORE ") || !strings.HasSuffix(got, " AFTER") {
			t.Errorf("%s: %q gives %q", name, form, got)
		}
		for _, piece := range []string{"pa", "ss", "密", "5bc6", "E5=AF", "%C3"} {
			if strings.Contains(strings.TrimSuffix(strings.TrimPrefix(got, "BEFORE "), " AFTER"), piece) && name != "AUTH PLAIN a" {
				t.Errorf("%s: %q leaves %q", name, got, piece)
			}
		}
	}
}

// TestRedactKeepsText checks what must not change: text without the
// secret, line structure around a secret, and bytes after a redaction.
func TestRedactKeepsText(t *testing.T) {
	red := NewRedactor()
	red.Add("Hunter2xyz")
	for in, want := range map[string]string{
		"imapwire & <b> = 100% \\n":      "imapwire & <b> = 100% \\n",
		"PASS Hunter2xyz\r\nQUIT\r\n":    "PASS ***\r\nQUIT\r\n",
		"a=Hunter2xyz&b=1":               "a=***&b=1",
		`{"pw":"Hunter2xyz"}`:            `{"pw":"***"}`,
		"Hunter2=\r\nxyz tail":           "*** tail",
		"x Hunter2xyzHunter2xyz y":       "x *** y",
		"SHVudGVyMnh5eg== and SHVudGVy.": "*** and SHVudGVy.",
	} {
		if got := red.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRedactQuerySpace checks a secret with spaces in a URL query, where
// '+' stands for a space.
func TestRedactQuerySpace(t *testing.T) {
	red := NewRedactor()
	red.Add("two words ü")
	for in, want := range map[string]string{
		"GET /?q=two+words+%C3%BC&x=1": "GET /?q=***&x=1",
		"two%20words%20%c3%bc":         "***",
		"a+b two+words+ü":              "a+b ***",
	} {
		if got := red.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRedactCutSecret checks a text cut in the middle of a secret, at its
// end (a body over max_body) or its start: the piece is redacted when it
// is minPiece bytes or more, and ordinary text is kept.
func TestRedactCutSecret(t *testing.T) {
	red := NewRedactor()
	red.Add("Hunter2xyz")
	for in, want := range map[string]string{
		"body ends Hunter2x":       "body ends ***",
		"body ends Hunte":          "body ends Hunte",
		"ter2xyz and more":         "*** and more",
		"r2xyz and more":           "r2xyz and more",
		"a=Hunter2xyz; b=Hunter2":  "a=***; b=***",
		`{"k":"Hunter2\u0078`:      `{"k":"***`,
		"SHVudGVyMnh5eg":           "***",
		"ordinary words Hunting":   "ordinary words Hunting",
		"Hunter2xyz":               "***",
		"unrelated text of a mail": "unrelated text of a mail",
	} {
		if got := red.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
	red.Add("739152840")
	if got := red.Redact("7391 ms, 2840"); got != "7391 ms, 2840" {
		t.Errorf("pieces of a secret of digits are redacted in numbers: %q", got)
	}
}

// TestRedactShortSecret checks that a value under MinSecretLen is hidden
// only as a whole token: "imapwire" keeps its "pw".
func TestRedactShortSecret(t *testing.T) {
	red := NewRedactor()
	red.Add("pw")
	for in, want := range map[string]string{
		"imapwire":        "imapwire",
		"PASS pw\r\n":     "PASS ***\r\n",
		"pw":              "***",
		"user=pw;pwd=pw2": "user=***;pwd=pw2",
	} {
		if got := red.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRedactNil checks that a nil or empty redactor changes nothing.
func TestRedactNil(t *testing.T) {
	var r *Redactor
	if r.Redact("x") != "x" || string(r.RedactBytes([]byte("x"))) != "x" {
		t.Error("nil redactor changed text")
	}
	if NewRedactor().Redact("a=%41") != "a=%41" {
		t.Error("empty redactor changed text")
	}
}

// BenchmarkRedact compares the redactor with a plain strings.Replacer of
// the same secret's literal forms (what it was before escaped and split
// forms were searched), on 256 KiB of transcript-like text.
func BenchmarkRedact(b *testing.B) {
	for name, text := range map[string]string{
		"escapes": strings.Repeat("250-SIZE 26214400\r\n< \"xxxx=3D9 &amp; 100%\"\r\n", 256<<10/44),
		"prose":   strings.Repeat("The quick brown fox jumps over the lazy dog, again and again and again.\r\n", 256<<10/72),
	} {
		b.Run(name, func(b *testing.B) { benchmarkRedact(b, text) })
	}
}

func benchmarkRedact(b *testing.B, text string) {
	red := NewRedactor()
	red.Add(awkward)
	b.Run("redactor", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for i := 0; i < b.N; i++ {
			red.Redact(text)
		}
	})
	b.Run("baseline-replacer", func(b *testing.B) {
		var pairs []string
		for _, f := range formsOf(awkward) {
			pairs = append(pairs, f, Redacted)
		}
		rep := strings.NewReplacer(pairs...)
		b.SetBytes(int64(len(text)))
		for i := 0; i < b.N; i++ {
			rep.Replace(text)
		}
	})
}

// TestSecretTooShort checks that a secret under MinSecretLen, or a value
// inside one, is refused before any step runs, without its value.
func TestSecretTooShort(t *testing.T) {
	for src, name := range map[string]string{
		`secrets: { pin: "q7" }`:                          `"pin"`,
		`secrets: { creds: { user: bobby, pass: "q7" } }`: `"creds.pass"`,
		`secrets: { list: [longenough, "q7"] }`:           `"list[1]"`,
	} {
		sc := mustLoad(t, "name: x\n"+src+"\nsteps:\n  - assert: true\n")
		res := Run(context.Background(), sc, RunOptions{})
		if res.Status != Errored || res.Failure == nil {
			t.Fatalf("%s: status %s", src, res.Status)
		}
		msg := res.Failure.Message
		if !strings.Contains(msg, name) || !strings.Contains(msg, "shorter than 4 bytes") || strings.Contains(msg, "q7") {
			t.Errorf("%s: message %q", src, msg)
		}
	}
	sc := mustLoad(t, "name: x\nsecrets: { empty: '', long: abcd }\nsteps:\n  - assert: true\n")
	if res := Run(context.Background(), sc, RunOptions{}); res.Status != Passed {
		t.Errorf("an empty secret and one of 4 bytes: %s %+v", res.Status, res.Failure)
	}
}

// TestSecretErrorHidesValue checks that a secret whose evaluation fails
// does not show its value in the error, nor what env() or file() gave.
func TestSecretErrorHidesValue(t *testing.T) {
	const value = `Hunter2"<x>`
	env := func(string) (string, bool) { return value, true }
	for _, expr := range []string{
		`int(env("PIN"))`,
		`env("PIN") + 1`,
		`env("PIN").field`,
		`int(upper(env("PIN")))`,
		`{"a": 1}[env("PIN")].x`,
		`date(env("PIN"))`,
		`split(env("PIN"), "<")[5]`,
	} {
		sc := mustLoad(t, "name: x\nsecrets:\n  pin: '{{ "+expr+" }}'\nsteps:\n  - assert: true\n")
		res := Run(context.Background(), sc, RunOptions{LookupEnv: env})
		if res.Status != Errored || res.Failure == nil {
			t.Errorf("%s: status %s", expr, res.Status)
			continue
		}
		msg := res.Failure.Message
		if strings.Contains(msg, "Hunter") || strings.Contains(strings.ToUpper(msg), "HUNTER") || !strings.Contains(msg, `secret "pin"`) {
			t.Errorf("%s: message %q", expr, msg)
		}
	}
}

// FuzzRedact checks that redaction never panics (the views map positions
// back to the text), and that a secret written into any text, as it is or
// in one of its forms, is gone afterwards.
func FuzzRedact(f *testing.F) {
	f.Add(awkward, "x=%41&amp;\\u003c=3D=\r\n", 1)
	f.Add("Hunter2xyz", "\\x\\u12\\ud83d&#;%4=", 5)
	f.Add("a b c d", "+++&#x;\\U0001F600", 0)
	f.Fuzz(func(t *testing.T, secret, text string, at int) {
		if len(secret) < MinSecretLen || strings.Contains(secret, "*") {
			return
		}
		red := NewRedactor()
		red.Add(secret)
		_ = red.Redact(text)
		at = min(max(at, 0), len(text))
		goJSON, _ := json.Marshal(secret)
		for _, form := range []string{secret, string(goJSON), qpEncode(secret), base64.StdEncoding.EncodeToString([]byte(secret))} {
			got := red.Redact(text[:at] + form + text[at:])
			if strings.Contains(got, secret) {
				t.Fatalf("Redact(%q) = %q shows the secret %q", text[:at]+form+text[at:], got, secret)
			}
		}
	})
}

// TestRedactQuotedHex: binary data as Quote renders it ("hex: 48 75 ...")
// is redacted by Redact itself, for every caller (an exporter's log line
// leaked it when only the report writers looked inside).
func TestRedactQuotedHex(t *testing.T) {
	r := NewRedactor()
	r.Add("Hunter2-Sup3rSecret")
	in := "the line is " + Quote([]byte("\x00alice\x00Hunter2-Sup3rSecret\n"), 1024) + ", want \"nope\""
	out := r.Redact(in)
	if !strings.HasPrefix(in[len("the line is "):], "hex:") {
		t.Fatalf("Quote did not render binary data as hex: %q", in)
	}
	if strings.Contains(out, "48 75 6e 74 65 72 32") || out == in {
		t.Fatalf("the secret is still there in spaced hex: %q", out)
	}
	if !strings.Contains(out, "hex: 00 61 6c 69 63 65 00 2a 2a 2a") || !strings.HasSuffix(out, `, want "nope"`) {
		t.Fatalf("redacted hex lost its form: %q", out)
	}
	if got := string(r.RedactBytes([]byte(in))); got != out {
		t.Fatalf("RedactBytes %q, Redact %q", got, out)
	}
}
