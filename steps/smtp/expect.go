package smtp

import (
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
)

// decodeExpect compiles expect: the next reply's code and text
// (lineproto.ExpectAction, shared with nntp and ftp).
func decodeExpect(d *engine.Decoder) (engine.TypedAction, error) {
	return lineproto.DecodeExpectAction[lineproto.Reply, *conn](d, 0, nil)
}
