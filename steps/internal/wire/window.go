package wire

import (
	"regexp"
	"regexp/syntax"
	"unicode/utf8"
)

// scan remembers, over one Read, how much of the buffer a regular
// expression (match on the stream, or reject) was found not to match, so
// that a search after the next read looks only where a new match can be.
//
// Go's regexp cannot resume a search, so this is sound only for a pattern
// whose matches are at most reach bytes long and which asserts nothing
// about what comes before where it starts (^, \A, \b, \B): then, as
// buf[:clean] held no match, and a match that ends before clean sees
// the same bytes now, every match ends at clean or later and starts at
// clean-reach or later; searching buf[clean-reach:] finds the same first
// match as searching buf, since nothing before where the window starts
// counts. A pattern that can match without bound (`ERR.*`) can end in the
// new bytes and start anywhere before, so it is searched from the start
// of the buffer, but only when a new byte can end a match (see ends).
type scan struct {
	clean int  // buf[:clean] holds no match
	reach int  // the longest match in bytes; -1: unbounded, or a look behind
	known bool // reach and last are worked out (once per literal expect)
	// last, without a longest match, are the bytes that can end one; nil
	// when that cannot tell. Copies of a matcher share it: it is only
	// read once worked out.
	last *byteSet
}

// learn works out reach and last for re.
func (s *scan) learn(re *regexp.Regexp) {
	s.known, s.reach = true, -1
	p, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return
	}
	if s.reach = longest(p); s.reach >= 0 {
		return
	}
	if e, ok := endsOf(p); ok && !e.nullable {
		s.last = &e.last
	}
}

// from returns where a search of buf must start, or -1 when no search is
// needed: no new byte can end a match.
func (s *scan) from(re *regexp.Regexp, buf []byte) int {
	if s.clean == 0 {
		return 0
	}
	if !s.known {
		s.learn(re)
	}
	switch {
	case s.reach >= 0:
		// Start at a character's first byte: from a continuation byte,
		// regexp would read a U+FFFD that a full search never sees. Any
		// byte that is not one starts a character in the full reading
		// too, and so does the byte after three of them.
		from := max(0, s.clean-s.reach)
		for back := 0; from > 0 && back < utf8.UTFMax-1 && !utf8.RuneStart(buf[from]); back++ {
			from--
		}
		return from
	case s.last != nil && !s.last.any(buf[s.clean:]):
		return -1
	}
	return 0
}

// find is re.FindSubmatchIndex(buf) (re.FindIndex without groups),
// searching only where a match can be that the last search of a shorter
// buf did not find.
func (s *scan) find(re *regexp.Regexp, buf []byte, groups bool) []int {
	from := s.from(re, buf)
	if from < 0 {
		s.clean = len(buf)
		return nil
	}
	var loc []int
	if groups {
		loc = re.FindSubmatchIndex(buf[from:])
	} else {
		loc = re.FindIndex(buf[from:])
	}
	if loc == nil {
		s.clean = len(buf)
		return nil
	}
	for i := range loc {
		if loc[i] >= 0 {
			loc[i] += from
		}
	}
	return loc
}

// longest is the longest text in bytes that p matches, -1 for no bound or
// a look behind.
func longest(p *syntax.Regexp) int {
	switch p.Op {
	case syntax.OpEmptyMatch, syntax.OpNoMatch, syntax.OpEndLine, syntax.OpEndText:
		return 0
	case syntax.OpLiteral:
		n := 0
		for _, r := range p.Rune {
			n += runeBytes(r, p.Flags&syntax.FoldCase != 0)
		}
		return n
	case syntax.OpCharClass:
		if len(p.Rune) == 0 {
			return 0
		}
		return runeBytes(p.Rune[len(p.Rune)-1], false)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return longest(p.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		if longest(p.Sub[0]) == 0 {
			return 0
		}
		return -1
	case syntax.OpRepeat:
		n := longest(p.Sub[0])
		if n < 0 || (p.Max < 0 && n > 0) {
			return -1
		}
		return max(p.Max, 0) * n
	case syntax.OpConcat, syntax.OpAlternate:
		return combine(p)
	}
	return -1 // ^, \A, \b, \B look at the byte before
}

// combine is longest for a concatenation (the sum) or an alternation (the
// largest).
func combine(p *syntax.Regexp) int {
	total := 0
	for _, sub := range p.Sub {
		n := longest(sub)
		if n < 0 {
			return -1
		}
		if p.Op == syntax.OpConcat {
			total += n
		} else {
			total = max(total, n)
		}
	}
	return total
}

// runeBytes is the most bytes r takes in UTF-8; folded, any rune it folds
// to may match (the Kelvin sign is K folded).
func runeBytes(r rune, fold bool) int {
	if n := utf8.RuneLen(r); n > 0 && !fold {
		return n
	}
	return utf8.UTFMax
}
