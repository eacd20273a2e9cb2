package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
)

// TestParsed: --help prints the help on stdout and ends with 0; a usage
// error is said on stderr, with a pointer to the command's --help, and
// ends with 2; no error goes on.
func TestParsed(t *testing.T) {
	for _, tc := range []struct {
		err            error
		status         int
		done           bool
		stdout, stderr string
	}{
		{nil, exitOK, false, "", ""},
		{flag.ErrHelp, exitOK, true, "HELP", ""},
		{fmt.Errorf("wrapped: %w", flag.ErrHelp), exitOK, true, "HELP", ""},
		{errors.New("merge needs -o DIR"), exitInvalid, true, "", "netrun merge: merge needs -o DIR\nRun 'netrun merge --help' for usage.\n"},
	} {
		var out, errw bytes.Buffer
		status, done := parsed(tc.err, "netrun merge", "merge", "HELP", &out, &errw)
		if status != tc.status || done != tc.done || out.String() != tc.stdout || errw.String() != tc.stderr {
			t.Errorf("parsed(%v) = %d, %v, stdout %q, stderr %q; want %d, %v, %q, %q",
				tc.err, status, done, out.String(), errw.String(), tc.status, tc.done, tc.stdout, tc.stderr)
		}
	}
}

// TestUsageErrors runs each command that parses its flags with parsed
// through the dispatcher with a usage error.
func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--no-such-flag"}, "netrun: "},
		{[]string{"grade", "x.yaml"}, "netrun grade: grade needs --submissions DIR"},
		{[]string{"merge", "a.json"}, "netrun merge: merge needs -o DIR"},
		{[]string{"exporter"}, "netrun exporter: exporter needs --config FILE"},
	} {
		var out, errw bytes.Buffer
		status := netrun(tc.args, &out, &errw)
		cmd := tc.args[0]
		if status != exitInvalid || !strings.HasPrefix(errw.String(), tc.want) ||
			!strings.HasSuffix(errw.String(), "Run 'netrun "+cmd+" --help' for usage.\n") || out.Len() > 0 {
			t.Errorf("netrun %q = %d, stdout %q, stderr %q; want 2 and %q...", tc.args, status, out.String(), errw.String(), tc.want)
		}
	}
}

func TestUsersRedactor(t *testing.T) {
	red := usersRedactor(map[string]string{"alice": "s3cret-pw", "bob": "hunter22"})
	if got := red.Redact("PASS s3cret-pw and hunter22"); strings.Contains(got, "s3cret-pw") || strings.Contains(got, "hunter22") {
		t.Errorf("Redact left a password: %q", got)
	}
}
