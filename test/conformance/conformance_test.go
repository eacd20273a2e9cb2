// Package conformance_test holds the conformance table: the same client
// exchanges, made by Python's stdlib clients (smtplib, poplib, imaplib,
// ftplib, nntplib; the scripts in this folder), against netrun's sandbox
// and against the real server of the same protocol (Postfix, Dovecot,
// vsftpd, INN, started by test/realservers). The test fails on any
// difference in reply class, in shape (how many lines or items, of what
// type) or in the normalised value a client returns, except the allowed
// differences of table_test.go, each justified there.
//
// Without the real servers the sandbox is compared with what the real
// servers answered when the golden files of testdata/ were recorded
// (go test ./test/conformance -update, with the real servers up). With CI
// set, missing real servers are a failure, not a skip.
package conformance_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netrunhq/netrun/sandbox"
)

var update = flag.Bool("update", false, "record the real servers' answers in testdata/*.golden.jsonl")

// compared counts the exchanges compared per protocol, for the summary
// line TestMain prints.
var compared = struct {
	sync.Mutex
	n map[string]int
}{n: map[string]int{}}

// TestMain runs the tests and prints one summary line of what the table
// compared (CI shows it: go test -v).
func TestMain(m *testing.M) {
	code := m.Run()
	compared.Lock()
	total, parts := 0, []string{}
	for _, p := range []string{"smtp", "pop3", "imap", "ftp", "nntp"} {
		if n, ok := compared.n[p]; ok {
			total += n
			parts = append(parts, fmt.Sprintf("%s %d", p, n))
		}
	}
	compared.Unlock()
	if total > 0 {
		fmt.Printf("conformance: %d exchanges compared in all (%s)\n", total, strings.Join(parts, ", "))
	}
	os.Exit(code)
}

// exchange is one line of a script's output.
type exchange struct {
	Name  string          `json:"exchange"`
	Class string          `json:"class"`
	Shape string          `json:"shape"`
	Value json.RawMessage `json:"value"`
}

// target is one server a script talks to: the address and login, in the
// script's command line form.
type target struct {
	name string   // "sandbox", "Dovecot", …
	args []string // --host … --password …
}

// runScript runs a script against a target and returns its exchanges.
// A script that crashes fails the test, and its exchanges are returned
// all the same, so that the comparison shows where it stopped.
func runScript(t *testing.T, python, script string, tg target) []exchange {
	t.Helper()
	// Not a timing assertion: only keeps a hung server from hanging CI.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-W", "ignore::DeprecationWarning", script)
	cmd.Args = append(cmd.Args, tg.args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Errorf("%s against %s: %v\nstderr:\n%s", script, tg.name, err, stderr.String())
	}
	out, err := parse(stdout.Bytes())
	if err != nil { // Errorf, not Fatalf: this may run in a goroutine
		t.Errorf("%s against %s: %v", script, tg.name, err)
	}
	return out
}

// parse reads one JSON exchange a line; names must be unique.
func parse(b []byte) ([]exchange, error) {
	var out []exchange
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		var e exchange
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("line %q: %w", sc.Text(), err)
		}
		if seen[e.Name] {
			return nil, fmt.Errorf("exchange %q twice", e.Name)
		}
		seen[e.Name] = true
		out = append(out, e)
	}
	return out, sc.Err()
}

// compare reports every difference between the sandbox's exchanges and the
// real server's, except the allowed ones, and returns how many exchanges
// it compared.
func compare(t *testing.T, proto, real string, sb, ref []exchange) int {
	t.Helper()
	byName := map[string]exchange{}
	for _, e := range sb {
		byName[e.Name] = e
	}
	n, allowedN := 0, 0
	seen := map[string]bool{} // allowed keys whose difference occurred
	for _, r := range ref {
		s, ok := byName[r.Name]
		if !ok {
			t.Errorf("%s %q: %s answered (%s %s %s), the sandbox run has no such exchange", proto, r.Name, real, r.Class, r.Shape, r.Value)
			continue
		}
		delete(byName, r.Name)
		n++
		for _, d := range diffs(s, r) {
			if why, ok := allowed[proto+"/"+r.Name+"/"+d.field]; ok {
				allowedN++
				seen[proto+"/"+r.Name+"/"+d.field] = true
				t.Logf("%s %q: allowed %s difference (%s): sandbox %s, %s %s", proto, r.Name, d.field, why, d.sandbox, real, d.real)
				continue
			}
			t.Errorf("%s %q: %s differs: sandbox %s, %s %s", proto, r.Name, d.field, d.sandbox, real, d.real)
		}
	}
	for _, e := range sb {
		if _, left := byName[e.Name]; left {
			t.Errorf("%s %q: only the sandbox run has it (%s %s %s)", proto, e.Name, e.Class, e.Shape, e.Value)
		}
	}
	// An allowed difference of an exchange compared here that did not
	// occur is stale: its bug was fixed, and the entry must go, so that
	// the table cannot hide the bug's return.
	for _, r := range ref {
		for _, field := range []string{"class", "shape", "value"} {
			key := proto + "/" + r.Name + "/" + field
			if _, ok := allowed[key]; ok && !seen[key] {
				t.Errorf("allowed difference %q did not occur: remove it from the table", key)
			}
		}
	}
	t.Logf("conformance: %s: compared %d exchanges, sandbox vs %s (%d allowed differences)", proto, n, real, allowedN)
	compared.Lock()
	compared.n[proto] = n
	compared.Unlock()
	return n
}

// difference is one field that differs.
type difference struct{ field, sandbox, real string }

func diffs(s, r exchange) []difference {
	var out []difference
	if s.Class != r.Class {
		out = append(out, difference{"class", s.Class, r.Class})
	}
	if s.Shape != r.Shape {
		out = append(out, difference{"shape", s.Shape, r.Shape})
	}
	if sv, rv := canonical(s.Value), canonical(r.Value); sv != rv {
		out = append(out, difference{"value", sv, rv})
	}
	return out
}

// canonical re-encodes a JSON value so that formatting does not count.
func canonical(v json.RawMessage) string {
	if len(v) == 0 {
		return "null"
	}
	var x any
	if err := json.Unmarshal(v, &x); err != nil {
		return string(v)
	}
	b, _ := json.Marshal(x)
	return string(b)
}

// realServers reports whether the real servers of kind (mail, ftp, nntp)
// are up. When they are not and CI is set, the test fails.
func realServers(t *testing.T, kind string) bool {
	t.Helper()
	for _, k := range strings.Split(os.Getenv("NETRUN_REALSERVERS_UP"), ",") {
		if k == kind {
			return true
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but the real %s servers are not up: run test/realservers/%s-up.sh and export what it prints", kind, kind)
	}
	return false
}

// python3 returns the Python interpreter, or skips (fails when CI is set).
func python3(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3 is needed for the conformance table and CI is set: %v", err)
		}
		t.Skip("python3 not found: the conformance table needs it (it fails instead when CI is set)")
	}
	return p
}

// runToken is unique to one run: the real servers' folders and files of
// this run are named with it.
func runToken(t *testing.T) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "conf" + hex.EncodeToString(b)
}

// newSandbox starts a sandbox that Cleanup closes.
func newSandbox(t *testing.T) *sandbox.Sandbox {
	t.Helper()
	s := sandbox.New(sandbox.Options{})
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("sandbox Close: %v", err)
		}
	})
	return s
}

// addr returns a sandbox service's address.
func addr(t *testing.T, s *sandbox.Sandbox, name string) string {
	t.Helper()
	a, err := s.Address(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// conform runs script against the sandbox and, when up, the real server,
// and compares. Without the real server, the sandbox is compared with the
// golden file recorded from it.
func conform(t *testing.T, proto, script string, sb target, real *target) {
	t.Helper()
	python := python3(t)
	golden := filepath.Join("testdata", proto+".golden.jsonl")
	var sbOut, realOut []exchange
	var wg sync.WaitGroup
	if real != nil {
		wg.Add(1)
		go func() { defer wg.Done(); realOut = runScript(t, python, script, *real) }()
	}
	sbOut = runScript(t, python, script, sb)
	wg.Wait()
	if t.Failed() && (len(sbOut) == 0 || (real != nil && len(realOut) == 0)) {
		return
	}
	refName := ""
	if real != nil {
		refName = real.name
		if *update {
			var b bytes.Buffer
			for _, e := range realOut {
				line, _ := json.Marshal(e)
				b.Write(append(line, '\n'))
			}
			if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	} else {
		b, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("no real server and no golden file: %v", err)
		}
		if realOut, err = parse(b); err != nil {
			t.Fatalf("%s: %v", golden, err)
		}
		refName = "the recorded real server (" + golden + ")"
	}
	compare(t, proto, refName, sbOut, realOut)
}
