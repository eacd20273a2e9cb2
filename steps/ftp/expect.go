package ftp

import (
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
)

// decodeExpect compiles expect: the next reply's code and text, the reply
// to a command written with send: { line } (lineproto.ExpectAction,
// shared with smtp and nntp).
func decodeExpect(d *engine.Decoder) (engine.TypedAction, error) {
	return lineproto.DecodeExpectAction[lineproto.Reply, *conn](d, 0, nil)
}
