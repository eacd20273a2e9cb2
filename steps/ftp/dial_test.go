package ftp

import (
	"context"
	"strings"
	"testing"
)

// TestDialOnlyToThePeer checks the last line of defence of the passive
// address policy: whatever address the library asks for, data connections
// go to the control connection's peer only. (The library itself keeps the
// peer's address and only takes the port of a PASV reply.)
func TestDialOnlyToThePeer(t *testing.T) {
	c := &conn{ctrl: newControl(nil, nil), peerIP: "127.0.0.1", controlGiven: true, ctx: context.Background()}
	for _, addr := range []string{"10.9.8.7:2121", "[::1]:2121", "localhost:2121"} {
		if _, err := c.dial("tcp", addr); err == nil || !strings.Contains(err.Error(), "refused to open a data connection to "+addr) {
			t.Errorf("dial %s: %v, want a refusal", addr, err)
		}
	}
	c.ctx = nil
	if _, err := c.dial("tcp", "127.0.0.1:1"); err == nil {
		t.Errorf("a data connection outside of a step was dialed")
	}
}
