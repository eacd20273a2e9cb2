package ftp_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestAnonymousDownloadAndList(t *testing.T) {
	readme := "Welcome.\nSecond line.\n"
	addr := steptest.Serve(t, nil, login(),
		steptest.Dialogue("CWD pub", "250 Directory changed\r\n"),
		transfer("RETR README", send(readme), "226 Transfer complete\r\n"),
		transfer("RETR README", send(readme), "226 Transfer complete\r\n"),
		transfer("LIST", send("total 3\r\n"+lsList), "226 Directory send OK\r\n"),
		quit(),
	)
	dir := t.TempDir()
	res := harness(t).Run(dir, `
name: anonymous
steps:
  - connect: ftp://ADDR
    assert:
      - result.greeting.code == 220
      - result.greeting.text == "fake FTP ready"
      - result.user == "anonymous"
      - result.login.code == 230
      - result.features == ["EPSV", "PASV", "SIZE"]
      - result.tls == nil
  - send: { command: CWD pub }
    assert: result.code == 250 && result.text == "Directory changed"
  - fetch: { path: README, to: out/README }
    assert:
      - result.size == LENGTH
      - result.sha256 == "SUM"
      - result.text == file("out/README")
      - result.reply.code == 226
      - result.to endsWith "/out/README"
  - fetch: README
    assert: result.text == file("out/README") && result.to == ""
  - fetch: { list: "" }
    assert:
      - result.command == "LIST"
      - len(result.entries) == 3
      - result.entries[0].name == "README" && result.entries[0].type == "file" && result.entries[0].size == 687
      - result.entries[0].modified.Day() == 2
      - result.entries[1].name == "sub dir" && result.entries[1].type == "dir"
      - result.entries[2].name == "latest" && result.entries[2].type == "link" && result.entries[2].target == "README"
      - result.unparsed == []
  - close: true
`, "ADDR", addr, "LENGTH", itoa(len(readme)), "SUM", sum(readme))
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
	got, err := os.ReadFile(filepath.Join(dir, "out", "README"))
	if err != nil || string(got) != readme {
		t.Errorf("out/README = %q, %v", got, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "out", ".*part*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	tr := steptest.Transcript(res, 3)
	for _, want := range []string{"> \"EPSV\\r\\n\"", "* data connection to 127.0.0.1:", "> \"RETR README\\r\\n\"", "< \"226 Transfer complete\\r\\n\"", "* received 22 bytes, sha256 " + sum(readme)} {
		if !strings.Contains(tr, want) {
			t.Errorf("transcript lacks %s:\n%s", want, tr)
		}
	}
}

func TestUserSendForms(t *testing.T) {
	var stored, storedFile string
	dir := t.TempDir()
	steptest.WriteFile(t, dir, "local.bin", []byte{0xde, 0xad, 0xbe, 0xef, 0x00, 0xff})
	addr := steptest.Serve(t, nil,
		loginAs("alice", "Canary-pw-9481", feat),
		steptest.Dialogue("MKD d", "257 \"/d\" created\r\n"),
		transfer("STOR d/a.txt", receive(&stored), "226 Stored\r\n"),
		transfer("STOR local.bin", receive(&storedFile), "226 Stored\r\n"),
		steptest.Dialogue("RNFR d/a.txt", "350 Ready for RNTO\r\n"),
		steptest.Dialogue("RNTO d/b.txt", "250 Renamed\r\n"),
		steptest.Dialogue("DELE d/b.txt", "250 Deleted\r\n"),
		steptest.Dialogue("RMD d", "250 Removed\r\n"),
		steptest.Dialogue("NOOP", "200 NOOP ok\r\n"),
		steptest.Dialogue("SYST", "215 UNIX Type: L8\r\n"),
		quit(),
	)
	res := harness(t).Run(dir, `
name: user
secrets: { password: Canary-pw-9481 }
steps:
  - connect: ftp://ADDR
    auth: { user: alice, password: '{{ password }}' }
    assert: result.user == "alice" && result.login.text == "Logged in"
  - send: { mkdir: d }
    assert: result.reply.code == 257 && result.path == "d"
  - send: { upload: { content: hello there, to: d/a.txt } }
    assert:
      - result.size == 11
      - result.sha256 == sha256("hello there")
      - result.reply.code == 226
  - send: { upload: { file: local.bin } }
    assert: result.path == "local.bin" && result.size == 6
  - send: { rename: { from: d/a.txt, to: d/b.txt } }
    assert: result.reply.code == 250 && result.path == "d/b.txt"
  - send: { delete: d/b.txt }
  - send: { rmdir: d }
  - send: { command: NOOP }
    assert: result.code == 200
  - send: { line: SYST }
    assert: result.bytes == 6
  - expect: { code: 2xx, text: UNIX }
    assert: result.code == 215
  - close: true
`, "ADDR", addr)
	want := make([]engine.Status, 11)
	for i := range want {
		want[i] = engine.Passed
	}
	steptest.Check(t, res, want...)
	if stored != "hello there" || storedFile != "\xde\xad\xbe\xef\x00\xff" {
		t.Errorf("stored %q and %q", stored, storedFile)
	}
	if tr := steptest.Transcript(res, 1); strings.Contains(tr, "Canary-pw-9481") || !strings.Contains(tr, "PASS ***") {
		t.Errorf("the password is not redacted:\n%s", tr)
	}
}

func TestPassiveAddressIsThePeer(t *testing.T) {
	// EPSV is refused, so the library falls back to PASV, whose reply names
	// an address elsewhere: netrun connects to the control peer instead.
	var ln netListener
	addr := steptest.Serve(t, nil, login(),
		steptest.Dialogue("EPSV", "500 EPSV not understood\r\n"),
		pasvElsewhere(&ln),
		serveOn(&ln, "RETR f", send("data"), "226 Done\r\n"),
		quit(),
	)
	res := harness(t).Run("", `
name: pasv
steps:
  - connect: ftp://ADDR
  - fetch: f
    assert: result.text == "data"
  - close: true
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed)
	tr := steptest.Transcript(res, 2)
	if !strings.Contains(tr, "the PASV reply names 10.9.8.7; netrun connects to 127.0.0.1") {
		t.Errorf("the transcript does not note the replaced address:\n%s", tr)
	}
}

func TestImplicitAndExplicitTLSWithTheSandbox(t *testing.T) {
	for _, tc := range []struct{ name, url, mode string }{
		{"explicit", "ftp://FTP", "starttls: true"},
		{"implicit", "ftps://FTPS", "tls_mode: implicit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := sandboxAddrs(t)
			src := `
name: tls
steps:
  - connect: URL
    MODE
    tls: { ca: CA }
    auth: { user: alice, password: secret }
    assert: result.tls.version == "1.3" && result.login.code == 230
  - send: { upload: { content: over tls, to: t.txt } }
  - fetch: { list: / }
    assert: result.command == "MLSD" && any(result.entries, .name == "t.txt" && .size == 8)
  - fetch: t.txt
    assert: result.text == "over tls"
  - send: { delete: t.txt }
  - close: true
`
			src = strings.NewReplacer("URL", tc.url, "MODE", tc.mode).Replace(src)
			res := harness(t).Run("", src, "FTPS", sb.ftps, "FTP", sb.ftp, "CA", sb.ca)
			steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
			if tr := steptest.Transcript(res, 1); !strings.Contains(tr, "> \"PROT P\\r\\n\"") {
				t.Errorf("no PROT P: data connections are not protected:\n%s", tr)
			}
		})
	}
}

func TestLargeDownloadToFile(t *testing.T) {
	// Larger than the first block and than a pipeline buffer, not a
	// multiple of either: text stays empty, size and sha256 are exact.
	big := strings.Repeat("0123456789abcdef", (5<<20)/16) + "tail"
	addr := steptest.Serve(t, nil, login(),
		transfer("RETR big", send(big), "226 Transfer complete\r\n"),
		transfer("RETR big", send(big[:64<<10]), "226 Transfer complete\r\n"),
		quit(),
	)
	dir := t.TempDir()
	res := harness(t).Run(dir, `
name: large
steps:
  - connect: ftp://ADDR
  - fetch: { path: big, to: big.bin }
    assert: result.size == LENGTH && result.sha256 == "SUM" && result.text == ""
  - fetch: { path: big, to: small.bin }
    assert: result.size == 65536 && len(result.text) == 65536
  - close: true
`, "ADDR", addr, "LENGTH", itoa(len(big)), "SUM", sum(big))
	steptest.Check(t, res, engine.Passed, engine.Passed, engine.Passed, engine.Passed)
	if got, err := os.ReadFile(filepath.Join(dir, "big.bin")); err != nil || string(got) != big {
		t.Errorf("big.bin: %d bytes, %v", len(got), err)
	}
}
