package wire

import "regexp"

// SendResult is the result of send.
type SendResult struct {
	// Bytes is the number of bytes sent.
	Bytes int `expr:"bytes" json:"bytes"`
}

// NamedGroups maps the names of re's named groups to their text in
// groups, the submatches of re; nil when re names none.
func NamedGroups(re *regexp.Regexp, groups []string) map[string]string {
	var named map[string]string
	for i, name := range re.SubexpNames() {
		if name != "" && i < len(groups) {
			if named == nil {
				named = map[string]string{}
			}
			named[name] = groups[i]
		}
	}
	return named
}

// ExpectResult is the result of expect.
type ExpectResult struct {
	// Data is what the expect consumed, framing removed: the line without
	// its ending, the data before the until delimiter, the N bytes, all data
	// up to the close, one datagram, or by default everything up to and
	// including the end of the match.
	Data string `expr:"data" json:"data"`
	// Bytes is len(Data).
	Bytes int `expr:"bytes" json:"bytes"`
	// Groups are the match's submatches: groups[0] is the whole match,
	// groups[1] the first group, and so on; empty without `match`.
	Groups []string `expr:"groups" json:"groups,omitempty"`
	// Named maps the names of named groups (?P<name>...) to their text.
	Named map[string]string `expr:"named" json:"named,omitempty"`
	// Closed is true when the peer has closed its side of the connection
	// (what it sent before may still be buffered for later expects).
	Closed bool `expr:"closed" json:"closed"`
	// Partial is true when, with `partial: true`, the frame's end did not
	// come (the peer closed, or the step timeout passed) and Data is what
	// was received until then.
	Partial bool `expr:"partial" json:"partial"`
	// From is the peer's address: the sender of a datagram.
	From string `expr:"from" json:"from"`
}
