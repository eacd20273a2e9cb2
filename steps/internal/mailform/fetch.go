package mailform

import (
	"fmt"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/mail"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
)

// DefaultMaxSize bounds each message a step reads unless max_size says
// otherwise: 25 MiB, what most mail servers accept for a whole message.
const DefaultMaxSize = 25 << 20

// Fetch are the options that pop3's and imap's fetch share. Embed them
// inline in a fetch spec.
type Fetch struct {
	// Delete removes the messages fetched; the protocol says how (DELE,
	// or \Deleted and EXPUNGE).
	Delete engine.Template `yaml:"delete" netrun:"bool"`
	// MaxSize bounds each message, such as 25MiB (the default).
	MaxSize engine.Template `yaml:"max_size"`
}

// Check validates max_size at load time, when it is literal.
func (f *Fetch) Check() error { return bytesize.Check(&f.MaxSize, "max_size") }

// Eval evaluates delete (false when not given) and max_size
// (DefaultMaxSize when not given).
func (f *Fetch) Eval(s *engine.Session) (del bool, maxSize int, err error) {
	if f.Delete.IsSet() {
		if del, err = f.Delete.Bool(s); err != nil {
			return false, 0, fmt.Errorf("delete: %w", err)
		}
	}
	maxSize, err = bytesize.Eval(s, &f.MaxSize, "max_size", DefaultMaxSize)
	return del, maxSize, err
}

// Parse parses a message fetched. A message that does not parse cleanly is
// still returned, with what could be read, and the step notes why, naming
// the message as what ("message 3").
func Parse(s *engine.Session, raw []byte, what string) *mail.Message {
	m, err := mail.Parse(raw)
	if err != nil {
		s.Note("%s: %v", what, err)
	}
	return m
}
