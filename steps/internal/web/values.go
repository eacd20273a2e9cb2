package web

import "strings"

// Joined flattens headers, a query or a form for a step's result: each
// name's values joined with ", ", except Set-Cookie's, joined with a line
// feed (a cookie's date holds a comma).
func Joined[M ~map[string][]string](m M) map[string]string {
	out := make(map[string]string, len(m))
	for name, vals := range m {
		sep := ", "
		if name == "Set-Cookie" {
			sep = "\n"
		}
		out[name] = strings.Join(vals, sep)
	}
	return out
}
