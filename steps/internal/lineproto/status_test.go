package lineproto

import (
	"testing"
	"time"
)

func TestReadStatus(t *testing.T) {
	c, peer := pair(t, 0)
	write(t, peer, "211 3 1 3 comp.lang.python\r\n211-not a continuation\r\n205\r\n281 2.0.0 text kept\n")
	ctx := ctxFor(t, 5*time.Second)
	for _, want := range []struct {
		code int
		text string
	}{{211, "3 1 3 comp.lang.python"}, {0, ""}, {205, ""}, {281, "2.0.0 text kept"}} {
		r, err := c.ReadStatus(ctx, nil)
		if want.code == 0 {
			mismatch(t, err, `"211-not a continuation\r\n" is not a reply line`, "211-not a continuation\r\n")
			continue
		}
		if err != nil || r.Code != want.code || r.Text != want.text || r.Enhanced != "" ||
			len(r.Lines) != 1 || r.Lines[0] != want.text || len(r.Raw()) == 0 {
			t.Errorf("ReadStatus = %+v, %v; want %d %q", r, err, want.code, want.text)
		}
	}
}

func TestReadStatusBad(t *testing.T) {
	for _, send := range []string{"hello\r\n", "21 short\r\n", "2110\r\n"} {
		c, peer := pair(t, 0)
		write(t, peer, send)
		_, err := c.ReadStatus(ctxFor(t, 5*time.Second), nil)
		mismatch(t, err, "is not a reply line", send)
	}
}
