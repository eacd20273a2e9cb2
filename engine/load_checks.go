package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// regularFile fails unless path is a regular file (after symbolic links).
// It is checked before the file is opened: opening a named pipe for
// reading blocks until a writer comes, and /dev/zero never ends.
func regularFile(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("not a regular file (%s)", fileKind(st.Mode()))
	}
	return nil
}

// fileKind names what a file that is not a regular file is.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// badByte finds the first byte a YAML file may not hold: invalid UTF-8 or
// a control character other than tab, line feed and carriage return. It
// returns its line and column (1-based, in characters) and a message, or
// line 0 when there is none. The YAML library reports these at 1:1.
func badByte(data []byte) (line, col int, msg string) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return line, col, fmt.Sprintf("invalid UTF-8 (byte 0x%02x): save the file as UTF-8", data[i])
		case r == '\n' || (r == '\r' && (i+1 == len(data) || data[i+1] != '\n')):
			line, col = line+1, 0 // YAML breaks lines at LF, CR LF and a lone CR
		case r == '\t' || r == '\r' || r == 0xFEFF:
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0 && r != 0x85):
			return line, col, fmt.Sprintf("control character %U is not allowed; in a double-quoted string write it as \\x%02x", r, r)
		}
		i += size
		col++
	}
	return 0, 0, ""
}

// dropDuplicateKeys reports every key that repeats an earlier key of the
// same mapping, at any depth, and removes it (with its value) so that the
// rest of the file is decoded and checked as if it were not there. The
// nodes form a tree (an alias points at its anchor outside Content).
func (l *loader) dropDuplicateKeys(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		out := n.Content[:0]
		var index map[string]*yaml.Node // for a large mapping only
		if len(n.Content) > 32 {
			index = map[string]*yaml.Node{}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if f := firstKey(out, index, k); f != nil {
				l.errorf(k, "key %q is already defined at line %d", k.Value, f.Line)
				continue
			}
			out = append(out, k, v)
		}
		n.Content = out
	}
	for _, c := range n.Content {
		l.dropDuplicateKeys(c)
	}
}

// firstKey returns the key of pairs (key, value, ...) that k repeats.
// With an index, it looks there, and records k when it is new.
func firstKey(pairs []*yaml.Node, index map[string]*yaml.Node, k *yaml.Node) *yaml.Node {
	if k.Kind != yaml.ScalarNode || k.Value == "<<" {
		return nil
	}
	if index != nil {
		if f, ok := index[k.Value]; ok {
			return f
		}
		index[k.Value] = k
		return nil
	}
	for i := 0; i < len(pairs); i += 2 {
		if p := pairs[i]; p.Kind == yaml.ScalarNode && p.Value == k.Value {
			return p
		}
	}
	return nil
}

// maxAliasValues bounds how many values aliases add to a file once they
// are expanded (alias bombs). Values written out in the file do not count:
// they are bounded by the file's size.
const maxAliasValues = 200000

// aliasSize checks that the aliases of root add no more than
// maxAliasValues values. It counts, memoized so that counting stays
// linear, the expanded size of each node, and subtracts the nodes written.
func aliasSize(root *yaml.Node) (added int, ok bool) {
	// Without aliases the tree is a tree: each node is written once.
	written, aliases := 0, 0
	var count func(n *yaml.Node)
	count = func(n *yaml.Node) {
		written++
		if n.Kind == yaml.AliasNode {
			aliases++
		}
		for _, c := range n.Content {
			count(c)
		}
	}
	count(root)
	if aliases == 0 {
		return 0, true
	}
	limit := written + maxAliasValues
	size := expandedSize(root, map[*yaml.Node]int{}, limit)
	return size - written, size <= limit
}

// expandedSize counts the values of n with aliases expanded, up to just
// over limit.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int, limit int) int {
	if n == nil {
		return 0
	}
	if v, ok := memo[n]; ok {
		return v
	}
	memo[n] = limit + 1 // a cycle counts as too big
	size := 1
	if n.Kind == yaml.AliasNode {
		size = expandedSize(n.Alias, memo, limit)
	}
	for _, c := range n.Content {
		size += expandedSize(c, memo, limit)
		if size > limit {
			break
		}
	}
	memo[n] = size
	return size
}

// describeReadError words an error of readMax for a file that cannot be
// loaded, without the path, which the position gives.
func describeReadError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return "cannot read file: " + err.Error()
}

// definitions records where each var, secret, saved name and step id is
// defined, so that a use before its definition can say so.
type definitions struct {
	names map[string]int // var, secret and save names: line
	ids   map[string]int // step ids: line
}

// collectDefinitions scans the file's mapping for what it defines.
func collectDefinitions(root *yaml.Node) definitions {
	d := definitions{names: map[string]int{}, ids: map[string]int{}}
	keys := func(m *yaml.Node, into map[string]int) {
		if m == nil || m.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if _, seen := into[m.Content[i].Value]; !seen {
				into[m.Content[i].Value] = m.Content[i].Line
			}
		}
	}
	keys(MapValue(root, "vars"), d.names)
	keys(MapValue(root, "secrets"), d.names)
	for _, list := range []*yaml.Node{MapValue(root, "steps"), MapValue(root, "finally")} {
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for _, st := range list.Content {
			keys(MapValue(st, "save"), d.names)
			if id := MapValue(st, "id"); id != nil && id.Kind == yaml.ScalarNode {
				if _, seen := d.ids[id.Value]; !seen {
					d.ids[id.Value] = id.Line
				}
			}
		}
	}
	return d
}

// explain adds to an unknown name or step id that is defined later in the
// file where it is defined.
func (d definitions) explain(e *Error) {
	var name string
	switch {
	case fmtScan(e.Msg, "unknown name ", &name):
		if line, ok := d.names[name]; ok && line > e.Pos.Line {
			e.Msg += fmt.Sprintf(" (it is defined at line %d, after this: a name is known only after its definition)", line)
		}
	case fmtScan(e.Msg, "no earlier step has id ", &name):
		if line, ok := d.ids[name]; ok && line >= e.Pos.Line {
			e.Msg += fmt.Sprintf(" (the step with this id, at line %d, runs after this one)", line)
		}
	}
}

// fmtScan reads msg as prefix followed by exactly one quoted name.
func fmtScan(msg, prefix string, name *string) bool {
	rest, ok := strings.CutPrefix(msg, prefix)
	if !ok {
		return false
	}
	s, err := strconv.Unquote(rest)
	if err != nil {
		return false
	}
	*name = s
	return true
}
