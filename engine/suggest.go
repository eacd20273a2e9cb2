package engine

// Suggest returns the candidate closest to s by edit distance (a
// transposition counts one), or "" when none is close enough: the
// did-you-mean of the loader, for the CLI's subcommands.
func Suggest(s string, candidates []string) string { return suggest(s, candidates) }
