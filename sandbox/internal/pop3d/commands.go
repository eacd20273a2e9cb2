package pop3d

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// stat answers STAT.
func (ss *session) stat(_, _ string) error {
	n, size := ss.count()
	return ss.ok("%d %d", n, size)
}

// retr answers RETR n.
func (ss *session) retr(_, arg string) error {
	args := strings.Fields(arg)
	if len(args) != 1 {
		return ss.fail("usage: RETR n")
	}
	return ss.send(args[0], -1)
}

// top answers TOP n lines.
func (ss *session) top(_, arg string) error {
	args := strings.Fields(arg)
	if len(args) != 2 {
		return ss.fail("usage: TOP n lines")
	}
	lines, err := strconv.Atoi(args[1])
	if err != nil || lines < 0 {
		return ss.fail("bad number of lines %q", args[1])
	}
	return ss.send(args[0], lines)
}

// dele marks a message deleted.
func (ss *session) dele(_, arg string) error {
	i, ok := ss.number(arg)
	if !ok {
		return ss.fail("no such message")
	}
	ss.deleted[i] = true
	return ss.ok("message %d deleted", i+1)
}

// rset unmarks the messages marked deleted.
func (ss *session) rset(_, _ string) error {
	clear(ss.deleted)
	n, size := ss.count()
	return ss.ok("maildrop has %d messages (%d octets)", n, size)
}

// list answers LIST and UIDL, for one message or for all.
func (ss *session) list(cmd, arg string) error {
	args := strings.Fields(arg)
	item := func(i int) string {
		if cmd == "LIST" {
			return fmt.Sprintf("%d %d", i+1, octets(ss.msgs[i].Raw))
		}
		return fmt.Sprintf("%d %s", i+1, ss.uidl(ss.msgs[i]))
	}
	switch len(args) {
	case 0:
		var lines []string
		for i := range ss.msgs {
			if !ss.deleted[i] {
				lines = append(lines, item(i))
			}
		}
		if cmd == "LIST" {
			n, size := ss.count()
			if err := ss.ok("%d messages (%d octets)", n, size); err != nil {
				return err
			}
		} else if err := ss.ok("unique-id listing follows"); err != nil {
			return err
		}
		return ss.c.WriteLines(lines)
	case 1:
		i, ok := ss.number(args[0])
		if !ok {
			return ss.fail("no such message")
		}
		return ss.ok("%s", item(i))
	}
	return ss.fail("usage: %s [n]", cmd)
}

// send answers RETR (lines < 0) and TOP: the message, or its header and
// the first lines of its body, dot-stuffed and ending with a lone dot.
func (ss *session) send(arg string, lines int) error {
	i, ok := ss.number(arg)
	if !ok {
		return ss.fail("no such message")
	}
	raw := ss.msgs[i].Raw
	if lines >= 0 {
		raw = top(raw, lines)
		if err := ss.ok("top of message follows"); err != nil {
			return err
		}
	} else if err := ss.ok("%d octets", octets(raw)); err != nil {
		return err
	}
	return ss.c.WriteBlock(raw)
}

// top returns the header of raw, the blank line after it, and the first n
// lines of its body.
func top(raw []byte, n int) []byte {
	end := len(raw) // a message without a blank line is all header
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 {
		end = i + 4
	}
	if i := bytes.Index(raw, []byte("\n\n")); i >= 0 && i+2 < end {
		end = i + 2
	}
	for ; n > 0 && end < len(raw); n-- {
		j := bytes.IndexByte(raw[end:], '\n')
		if j < 0 {
			return raw
		}
		end += j + 1
	}
	return raw[:end]
}
