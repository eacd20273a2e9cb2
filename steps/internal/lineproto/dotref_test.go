package lineproto

import (
	"context"

	"github.com/netrunhq/netrun/engine"
)

// dotStuff is the whole-block reference of what WriteDotBlock sends before
// its line ".": every line that starts with "." gets another ".", every
// line ends with CRLF (a bare LF becomes CRLF), and a last line without an
// ending gets one.
func dotStuff(raw []byte) []byte {
	return appendStuffed(make([]byte, 0, len(raw)+len(raw)/64+2), raw)
}

// readDotBlock reads a block of no announced size.
func (c *Conn) readDotBlock(ctx context.Context, s *engine.Session, max int) ([]byte, error) {
	return c.readDotBlockSize(ctx, s, max, 0)
}
