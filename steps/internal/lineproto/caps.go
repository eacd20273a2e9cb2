package lineproto

import "strings"

// Capability returns the parameters of the capability name, such as
// "1000000" for SIZE, and whether caps, the lines of a server's list of
// capabilities (EHLO, CAPA, CAPABILITIES), has it: a line whose first
// word is name, in any case. The first such line counts.
func Capability(caps []string, name string) (string, bool) {
	for _, line := range caps {
		w, params, _ := strings.Cut(strings.TrimSpace(line), " ")
		if strings.EqualFold(w, name) {
			return params, true
		}
	}
	return "", false
}

// HasCapability reports whether caps lists the capability name
// (Capability).
func HasCapability(caps []string, name string) bool {
	_, ok := Capability(caps, name)
	return ok
}

// ListCapabilities joins caps for a message, or returns none when there
// are none.
func ListCapabilities(caps []string, none string) string {
	if len(caps) == 0 {
		return none
	}
	return strings.Join(caps, ", ")
}
