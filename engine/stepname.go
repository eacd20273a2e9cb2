package engine

import (
	"strings"
)

// maxNameValue is how many runes of one evaluated value a step's display
// name shows.
const maxNameValue = 40

// compileName makes a template of a step's display name when it holds
// {{ }} parts, so that reports show the values ("tcp connect
// 127.0.0.1:4000") rather than the source ("tcp connect {{ echo }}").
// Default names quote and cut the action's source, so a part escaped by
// the quoting is unescaped and a part cut short is dropped with its tail.
// made says the name is a default one, not the user's. A name that does
// not compile is shown as written; it returns nil then.
func (l *loader) compileName(name string, made bool) *Template {
	if !strings.Contains(name, "{{") {
		return nil
	}
	src := name
	if made {
		src = nameSource(name)
	}
	t := sourceTemplate(src)
	if err := t.compile(l.c, l.c.env(nil), ""); err != nil {
		return nil
	}
	return t
}

// nameSource undoes, inside each {{ }} of a display name, the escaping of
// strconv.Quote, and ends the name with "…" before a {{ left unclosed by a
// cut.
func nameSource(name string) string {
	var b strings.Builder
	for {
		i := strings.Index(name, "{{")
		if i < 0 {
			b.WriteString(name)
			return b.String()
		}
		j := strings.Index(name[i+2:], "}}")
		if j < 0 {
			b.WriteString(strings.TrimRight(name[:i], " "))
			b.WriteString("…")
			return b.String()
		}
		b.WriteString(name[:i+2])
		code := name[i+2 : i+2+j]
		if strings.Contains(code, `\`) {
			code = strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(code)
		}
		b.WriteString(code)
		b.WriteString("}}")
		name = name[i+2+j+2:]
	}
}

// evalName returns the step's display name with its values, redacted, each
// value cut to maxNameValue runes and kept on one line. It returns the name
// as written when a value cannot be had (a step that never ran, a save
// that an earlier failure left unset).
func (s *Session) evalName(st *Step) string {
	t := st.nameTmpl
	if t == nil {
		return st.Name
	}
	name, err := t.text(s, func(v any) string { return nameValue(s.redact(nameText(v))) })
	if err != nil {
		return st.Name
	}
	return name
}

// nameText is textOf, with the items of a list joined by commas.
func nameText(v any) string {
	switch x := v.(type) {
	case []string:
		return strings.Join(x, ",")
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = textOf(e)
		}
		return strings.Join(parts, ",")
	}
	return textOf(v)
}

// nameValue keeps a value of a display name on one line and short.
func nameValue(v string) string {
	v = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, v)
	if r := []rune(v); len(r) > maxNameValue {
		return string(r[:maxNameValue]) + "…"
	}
	return v
}
