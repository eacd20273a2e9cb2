package linesrv

import (
	"errors"
	"strings"
)

// State is a set of session states, one bit each, as a protocol numbers
// them (POP3's AUTHORIZATION and TRANSACTION, say).
type State uint

// Command is what a session of type S does for one verb.
type Command[S any] struct {
	// In is the states the command runs in; 0 is every state.
	In State
	// Run runs the command; verb is upper case. An error ends the session
	// (ErrQuit after the last reply).
	Run func(ss S, verb, arg string) error
}

// Table is the commands of a protocol for sessions of type S, and what
// the session loop does with a line that none of them takes.
type Table[S any] struct {
	// Commands maps an upper-case verb to its command.
	Commands map[string]Command[S]
	// State returns the state a session is in; nil when no command has
	// In set.
	State func(ss S) State
	// WrongState answers a known command in a state it does not run in.
	WrongState func(ss S, verb, arg string) error
	// Unknown answers a verb that is not in Commands.
	Unknown func(ss S, verb, arg string) error
	// Split cuts a line into its verb and argument; nil cuts at the first
	// space and keeps both as they are.
	Split func(line string) (verb, arg string)
	// TooLong is called with the first MaxLine bytes of a line longer
	// than that; it returns the line to run, or an error that ends the
	// session. Nil ends the session without a word.
	TooLong func(ss S, line string) (string, error)
}

// Do runs the command of verb (upper case) with arg.
func (t *Table[S]) Do(ss S, verb, arg string) error {
	cmd, ok := t.Commands[verb]
	switch {
	case !ok:
		return t.Unknown(ss, verb, arg)
	case cmd.In != 0 && cmd.In&t.State(ss) == 0:
		return t.WrongState(ss, verb, arg)
	}
	return cmd.Run(ss, verb, arg)
}

// Serve reads the commands of ss from c and runs them, until a command
// returns an error (ErrQuit after QUIT, too many failures or the reply to
// a line too long), a read fails or the peer closes. The caller writes the
// greeting before and closes c after.
func (t *Table[S]) Serve(c *Conn, ss S) {
	for {
		line, err := c.ReadLine()
		if errors.Is(err, ErrLineTooLong) {
			if t.TooLong == nil {
				return
			}
			line, err = t.TooLong(ss, line)
		}
		if err != nil {
			return
		}
		split := t.Split
		if split == nil {
			split = splitSpace
		}
		verb, arg := split(line)
		if t.Do(ss, strings.ToUpper(verb), arg) != nil {
			return
		}
	}
}

// splitSpace cuts line at its first space.
func splitSpace(line string) (verb, arg string) {
	verb, arg, _ = strings.Cut(line, " ")
	return verb, arg
}
