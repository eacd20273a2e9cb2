package ftp_test

import (
	"strings"
	"testing"
)

func TestLoadErrors(t *testing.T) {
	all := strings.Join(harness(t).LoadErrors(`name: errors
steps:
  - connect: ftp://127.0.0.1:x
  - connect: ftp://127.0.0.1
    tls: { ca: ca.pem }
  - connect: ftps://127.0.0.1
    starttls: true
  - connect: ftp://127.0.0.1
    auth: { user: a, password: b, mechanism: plain }
  - connect: ftp://127.0.0.1
    auth: { user: a }
  - fetch: { path: a, list: b }
  - fetch: { list: b, to: c }
  - fetch: { path: a, max_size: lots }
  - fetch: { pth: a }
  - fetch:
  - send: hello
  - send: { delete: a, mkdir: b }
  - send: { upload: { to: x } }
  - send: { upload: { content: x } }
  - send: { rename: { from: a } }
  - send: { command: RETR x }
  - send: { command: PASV }
  - send: { line: QUIT }
  - expect: 2x0
  - expect: { code: 250, txt: x }
  - listen: ftp://127.0.0.1:0
  - connect: ftp://127.0.0.1
    auht: {}
  - fetch: { list: . }
    assert: result.entries[0].nam == "x"
  - fetch: a
    assert: result.sha == ""
  - send: { delete: a }
    assert: result.reply.cod == 250
  - send: { upload: }
`), "\n")
	want := []string{
		`3:14: bad URL "ftp://127.0.0.1:x"`,
		"5:5: tls options need starttls: true, tls_mode or an ftps:// URL; ftp:// is plain text",
		"7:5: starttls: ftps:// starts with TLS already; use ftp:// for AUTH TLS",
		`9:46: auth mechanism "plain": FTP logs in with USER and PASS (mechanism: user)`,
		"10:5: auth needs user and password",
		"12:12: ftp fetch takes a remote path, { path, to, max_size }, { list: DIR, max_size } or { names: DIR, max_size }: give one of path, list and names",
		"13:27: to is for downloads (path), not for list",
		`14:33: max_size: "lots" is not a size`,
		`15:14: unknown key "pth" (did you mean "path"?)`,
		"16:11: ftp fetch takes a remote path",
		"17:11: ftp send takes { upload: { file | content, to } }",
		"18:24: send has both delete and mkdir: use one of { upload: { file | content, to } }",
		"19:13: upload takes one of file and content",
		"20:13: upload of content needs to: the remote path",
		"21:13: rename takes { from, to }",
		"22:22: RETR cannot be sent as a raw command: use fetch: { path }",
		"23:22: PASV cannot be sent as a raw command: fetch and send open data connections themselves",
		"24:19: QUIT cannot be sent as a raw command: use close",
		`25:13: reply code "2x0": use three digits such as 250, or a class such as 2xx or 25x`,
		`26:26: unknown key "txt" (did you mean "text"?)`,
		"27:13: ftp has no listen action",
		`29:5: unknown key "auht"`,
		"nam",
		"sha",
		"cod",
		"36:11: send needs one of { upload: { file | content, to } }",
	}
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("missing error %q", w)
		}
	}
	if t.Failed() {
		t.Logf("errors:\n%s", all)
	}
}

func TestDefaultNames(t *testing.T) {
	sc, err := harness(t).Load("", `name: names
steps:
  - connect: ftps://files.example.test
  - fetch: pub/README
  - fetch: { path: a, to: b }
  - fetch: { list: "" }
  - send: { upload: { file: x.bin } }
  - send: { rename: { from: a, to: b } }
  - send: { command: CWD pub }
  - expect: 2xx
`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ftps connect files.example.test", "ftps fetch pub/README", "ftps fetch a to b", "ftps list .",
		"ftps upload x.bin", "ftps rename a to b", `ftps send "CWD pub"`, "ftps expect 2xx"}
	for i, w := range want {
		if got := sc.Steps[i].Name; got != w {
			t.Errorf("step %d name %q, want %q", i+1, got, w)
		}
	}
}
