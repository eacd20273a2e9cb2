package pop3_test

import (
	"bufio"
	"net"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// emptyMaildrop serves every connection a POP3 dialogue with an empty
// maildrop: greeting, CAPA, USER, PASS, STAT 0 0, QUIT.
func emptyMaildrop(c net.Conn) {
	r := bufio.NewReader(c)
	_, _ = c.Write([]byte(greeting))
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		switch cmd, _, _ := strings.Cut(strings.TrimSpace(line), " "); strings.ToUpper(cmd) {
		case "CAPA":
			_, _ = c.Write([]byte("+OK\r\nUSER\r\n.\r\n"))
		case "STAT":
			_, _ = c.Write([]byte("+OK 0 0\r\n"))
		case "QUIT":
			_, _ = c.Write([]byte("+OK bye\r\n"))
			return
		default:
			_, _ = c.Write([]byte("+OK\r\n"))
		}
	}
}

// TestMailNeverArrives checks what waiting in vain for a delivery says:
// how long, how many logins, and how many messages the last one saw.
func TestMailNeverArrives(t *testing.T) {
	addr := steptest.ServeEach(t, emptyMaildrop)
	res := harness(t).Run("", `
name: never
steps:
  - connect: pop3://ADDR
    auth: { user: alice, password: secret }
    retry: { until: result.count > 0, every: 50ms, within: 300ms }
`, "ADDR", addr)
	steptest.Check(t, res, engine.Failed)
	steptest.Failure(t, res, 1, "waited ", " attempts, last saw 0 messages in the maildrop; last: until result.count > 0 does not hold (result.count = 0)")
}
