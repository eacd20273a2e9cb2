package engine

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Pos is a position in a scenario file. Line and Col are 1-based; zero means
// unknown.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

// String formats the position as file:line:col.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is a problem in a scenario file, at a position.
type Error struct {
	Pos Pos
	Msg string
}

// Error formats the problem as file:line:col: message.
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList is every problem found in one or more files, in file order.
type ErrorList []*Error

// Error joins the problems one per line.
func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Sort orders the list by file, line and column, and drops exact duplicates.
func (l *ErrorList) Sort() {
	sort.SliceStable(*l, func(i, j int) bool {
		a, b := (*l)[i].Pos, (*l)[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	out := (*l)[:0]
	for i, e := range *l {
		if i > 0 && e.Pos == (*l)[i-1].Pos && e.Msg == (*l)[i-1].Msg {
			continue
		}
		out = append(out, e)
	}
	*l = out
}

// errorsFrom converts err into positioned errors. YAML load errors keep their
// own positions; any other error is placed at fallback.
func errorsFrom(err error, fallback Pos) ErrorList {
	if err == nil {
		return nil
	}
	var list ErrorList
	if errors.As(err, &list) {
		return list
	}
	var one *Error
	if errors.As(err, &one) {
		return ErrorList{one}
	}
	var les *yaml.LoadErrors
	if errors.As(err, &les) {
		for _, le := range les.Errors {
			// Errors of a custom UnmarshalYAML come wrapped; keep their
			// own positions.
			var inner ErrorList
			var one *Error
			switch {
			case errors.As(le, &inner):
				list = append(list, inner...)
			case errors.As(le, &one):
				list = append(list, one)
			default:
				list = append(list, yamlError(le, fallback))
			}
		}
		return list
	}
	var le *yaml.LoadError
	if errors.As(err, &le) {
		return ErrorList{yamlError(le, fallback)}
	}
	return ErrorList{{Pos: fallback, Msg: err.Error()}}
}

func yamlError(le *yaml.LoadError, fallback Pos) *Error {
	p := fallback
	if le.Mark.Line > 0 {
		p.Line, p.Col = le.Mark.Line, le.Mark.Column
	}
	return &Error{Pos: p, Msg: cleanYAMLMessage(le.Message)}
}

var typeMismatch = regexp.MustCompile("^cannot (?:unmarshal|construct) !!(\\w+) (?:`(.*)` )?into (.+)$")

// cleanYAMLMessage turns the YAML library's wording into ours: Go type names
// are replaced with the words a scenario author knows.
func cleanYAMLMessage(m string) string {
	if g := typeMismatch.FindStringSubmatch(m); g != nil {
		got := map[string]string{"str": "a string", "int": "a number", "float": "a number", "bool": "a boolean",
			"map": "a mapping", "seq": "a list", "null": "null"}[g[1]]
		if got == "" {
			got = g[1]
		}
		if g[2] != "" && (g[1] == "str" || g[1] == "int" || g[1] == "float" || g[1] == "bool") {
			got += " " + strconv.Quote(g[2])
		}
		return "expected " + goTypeWords(g[3]) + ", got " + got
	}
	return strings.ReplaceAll(m, "`", "")
}

// goTypeWords names a Go type in a scenario author's words.
func goTypeWords(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list of " + strings.TrimPrefix(goTypeWords(t[2:]), "a ") + "s"
	case strings.HasPrefix(t, "map["):
		return "a mapping"
	case strings.HasPrefix(t, "*"):
		return goTypeWords(t[1:])
	case strings.HasSuffix(t, ".Node"):
		return "a value"
	}
	switch t {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "int", "int64", "uint", "uint64", "int32":
		return "a whole number"
	case "float64", "float32":
		return "a number"
	}
	return "a mapping"
}
