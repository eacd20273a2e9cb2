package program

import (
	"fmt"
	"strings"
)

// Split splits a command line into words the way a POSIX shell does, with
// no expansion: words are separated by blanks; single quotes keep
// everything literal up to the next single quote; double quotes keep
// everything but a backslash before $, `, ", \ or a newline; outside
// quotes a backslash keeps the next character (and a backslash-newline is
// removed). `a'b c'"d"` is the one word `ab cd`; `”` is an empty word.
// Variables, globs, pipes and redirections are not interpreted: `$HOME`
// and `>` are passed on as they are written.
func Split(line string) ([]string, error) {
	var (
		words  []string
		cur    strings.Builder
		inWord bool
	)
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\\':
			inWord = true
			if i+1 >= len(rs) {
				return nil, fmt.Errorf("the command ends with a lone backslash")
			}
			i++
			if rs[i] != '\n' {
				cur.WriteRune(rs[i])
			}
		case c == '\'':
			inWord = true
			end := indexRune(rs, i+1, '\'')
			if end < 0 {
				return nil, fmt.Errorf("unclosed single quote at character %d", i+1)
			}
			cur.WriteString(string(rs[i+1 : end]))
			i = end
		case c == '"':
			inWord = true
			j := i + 1
			for ; j < len(rs) && rs[j] != '"'; j++ {
				if rs[j] == '\\' && j+1 < len(rs) && strings.ContainsRune("$`\"\\\n", rs[j+1]) {
					j++
					if rs[j] != '\n' {
						cur.WriteRune(rs[j])
					}
					continue
				}
				cur.WriteRune(rs[j])
			}
			if j >= len(rs) {
				return nil, fmt.Errorf("unclosed double quote at character %d", i+1)
			}
			i = j
		default:
			inWord = true
			cur.WriteRune(c)
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

func indexRune(rs []rune, from int, r rune) int {
	for i := from; i < len(rs); i++ {
		if rs[i] == r {
			return i
		}
	}
	return -1
}
