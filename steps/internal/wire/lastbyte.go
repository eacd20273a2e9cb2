package wire

import (
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// byteSet is a set of bytes.
type byteSet [256]bool

// ends is what a pattern without a longest match still allows a scan to
// skip: the bytes that can be the last of a non-empty match. A match that
// the data before did not hold must end in the new bytes (with no \b or
// \B, which look past a match's end), so new bytes of which none can end
// a match leave the answer as it was, and the search is not run.
type ends struct {
	last     byteSet
	nullable bool // p matches the empty text
}

// endsOf works out the ends of p; ok is false for \b and \B.
func endsOf(p *syntax.Regexp) (e ends, ok bool) {
	switch p.Op {
	case syntax.OpNoMatch:
		return e, true
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return ends{nullable: true}, true
	case syntax.OpLiteral:
		if len(p.Rune) == 0 {
			return ends{nullable: true}, true
		}
		e.addRune(p.Rune[len(p.Rune)-1], p.Flags&syntax.FoldCase != 0)
		return e, true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(p.Rune); i += 2 {
			e.addRange(p.Rune[i], p.Rune[i+1])
		}
		return e, true
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		e.addRange(0, utf8.MaxRune)
		e.last['\n'] = p.Op == syntax.OpAnyChar
		return e, true
	case syntax.OpCapture, syntax.OpPlus:
		return endsOf(p.Sub[0])
	case syntax.OpStar, syntax.OpQuest:
		e, ok = endsOf(p.Sub[0])
		e.nullable = true
		return e, ok
	case syntax.OpRepeat:
		e, ok = endsOf(p.Sub[0])
		e.nullable = e.nullable || p.Min == 0
		return e, ok
	case syntax.OpAlternate:
		return endsOfAlternate(p.Sub)
	case syntax.OpConcat:
		return endsOfConcat(p.Sub)
	}
	return e, false
}

func endsOfAlternate(subs []*syntax.Regexp) (e ends, ok bool) {
	for _, sub := range subs {
		s, ok := endsOf(sub)
		if !ok {
			return e, false
		}
		e.union(s)
		e.nullable = e.nullable || s.nullable
	}
	return e, true
}

// endsOfConcat: the last part's last bytes, and the part's before while
// the parts after can match the empty text.
func endsOfConcat(subs []*syntax.Regexp) (e ends, ok bool) {
	e.nullable = true
	for i := len(subs) - 1; i >= 0; i-- {
		s, ok := endsOf(subs[i])
		if !ok {
			return e, false
		}
		if e.nullable {
			e.union(s)
			e.nullable = s.nullable
		}
	}
	return e, true
}

func (e *ends) union(s ends) {
	for b, in := range s.last {
		e.last[b] = e.last[b] || in
	}
}

// addRune adds the last byte of r in UTF-8 and, folded, of the runes it
// folds to.
func (e *ends) addRune(r rune, fold bool) {
	e.addRange(r, r)
	for f := unicode.SimpleFold(r); fold && f != r; f = unicode.SimpleFold(f) {
		e.addRange(f, f)
	}
}

// addRange adds the last bytes of the runes lo to hi: ASCII as it is, and
// for the others every byte from 0x80, which covers their last bytes and
// the invalid bytes that a class holding U+FFFD matches one at a time.
func (e *ends) addRange(lo, hi rune) {
	for b := lo; b <= min(hi, utf8.RuneSelf-1); b++ {
		e.last[b] = true
	}
	if hi >= utf8.RuneSelf {
		for b := utf8.RuneSelf; b < 256; b++ {
			e.last[b] = true
		}
	}
}

// any reports whether data holds a byte of the set.
func (s *byteSet) any(data []byte) bool {
	for _, b := range data {
		if s[b] {
			return true
		}
	}
	return false
}
