package engine

import (
	"encoding/hex"
	"strings"
)

// quotedHexPrefix starts binary data as Quote renders it: "hex: 0a ff ...".
const quotedHexPrefix = "hex:"

// redactQuotedHex redacts inside binary data rendered by Quote, whose
// spaced hex bytes no search on the text can match: each run is decoded,
// redacted with redact and rendered again. Every output that shows data
// (transcripts, failures, an exporter's log) goes through Redact, so this
// is done here once.
func redactQuotedHex(s string, redact func(string) string) string {
	if !strings.Contains(s, quotedHexPrefix) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, quotedHexPrefix)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		i += len(quotedHexPrefix)
		b.WriteString(s[:i])
		s = s[i:]
		n := spacedHexLen(s)
		b.WriteString(redactHexRun(s[:n], redact))
		s = s[n:]
	}
}

// spacedHexLen is the length of the run of " xx" byte pairs s starts with.
func spacedHexLen(s string) int {
	n := 0
	for n+3 <= len(s) && s[n] == ' ' && isHex(s[n+1]) && isHex(s[n+2]) &&
		(n+3 == len(s) || !isHex(s[n+3])) {
		n += 3
	}
	return n
}

// redactHexRun redacts one run of " xx" pairs, keeping its form.
func redactHexRun(run string, redact func(string) string) string {
	if run == "" {
		return run
	}
	raw, err := hex.DecodeString(strings.ReplaceAll(run, " ", ""))
	if err != nil {
		return run
	}
	red := redact(string(raw))
	if red == string(raw) {
		return run
	}
	var b strings.Builder
	for _, x := range []byte(red) {
		b.WriteByte(' ')
		b.WriteString(hex.EncodeToString([]byte{x}))
	}
	return b.String()
}
