package report

import (
	"strings"
)

// xmlElem is an element of a small XML document that the JUnit writer
// builds and writes itself: encoding/xml escapes a quote as &#34; in text
// and attributes alike, which some readers of JUnit files show as is.
type xmlElem struct {
	name  string
	attrs []xmlAttr
	// text is the element's content, written escaped as it is, line breaks
	// and all; an element has text or children, not both.
	text string
	kids []*xmlElem
}

// xmlAttr is an attribute; it is written only when keep is true.
type xmlAttr struct {
	name, value string
	keep        bool
}

// attr returns an attribute that is always written.
func attr(name, value string) xmlAttr { return xmlAttr{name, value, true} }

// optAttr returns an attribute that is written when value is not empty.
func optAttr(name, value string) xmlAttr { return xmlAttr{name, value, value != ""} }

// add appends kid to e, when it is not nil, and returns e.
func (e *xmlElem) add(kid *xmlElem) *xmlElem {
	if kid != nil {
		e.kids = append(e.kids, kid)
	}
	return e
}

// write writes e indented by depth levels of two spaces. An element
// without text or children is written as <name/>.
func (e *xmlElem) write(b *strings.Builder, depth int) {
	indent := strings.Repeat("  ", depth)
	b.WriteString(indent + "<" + e.name)
	for _, a := range e.attrs {
		if a.keep {
			b.WriteString(" " + a.name + `="` + xmlAttrValue(a.value) + `"`)
		}
	}
	switch {
	case e.text != "":
		b.WriteString(">" + xmlText(e.text) + "</" + e.name + ">\n")
	case len(e.kids) > 0:
		b.WriteString(">\n")
		for _, k := range e.kids {
			k.write(b, depth+1)
		}
		b.WriteString(indent + "</" + e.name + ">\n")
	default:
		b.WriteString("/>\n")
	}
}

// xmlText escapes text for an element's content: the markup characters,
// and CR, which a parser would otherwise turn into LF. Quotes need no
// escaping there and stay as they are.
func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;").Replace(s)
}

// xmlAttrValue escapes text for a double-quoted attribute value: the
// markup characters, the double quote as &quot;, and tab, line feed and
// carriage return as character references, which a parser would otherwise
// turn into spaces.
var xmlAttrValue = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;",
	"\t", "&#x9;", "\n", "&#xA;", "\r", "&#xD;").Replace
