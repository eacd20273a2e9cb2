package wire

import (
	"errors"

	"github.com/netrunhq/netrun/engine"
)

// LoadErrors gathers the load-time errors of one step, so that a plugin
// reports all of them, not only the first.
type LoadErrors struct {
	// At places errors that carry no position of their own.
	At   engine.Pos
	list engine.ErrorList
}

// Add records err (nil is ignored): the errors of an engine.ErrorList or an
// *engine.Error keep their positions, others are placed at l.At.
func (l *LoadErrors) Add(err error) {
	var list engine.ErrorList
	var one *engine.Error
	switch {
	case err == nil:
	case errors.As(err, &list):
		l.list = append(l.list, list...)
	case errors.As(err, &one):
		l.list = append(l.list, one)
	default:
		l.list = append(l.list, &engine.Error{Pos: l.At, Msg: err.Error()})
	}
}

// Err returns the errors gathered as an engine.ErrorList, or nil.
func (l *LoadErrors) Err() error {
	if len(l.list) == 0 {
		return nil
	}
	return l.list
}
