package lineproto

import (
	"context"
	"fmt"
	"time"

	"github.com/netrunhq/netrun/engine"
)

// ReadStatus reads a one-line reply, "CODE text" or "CODE" alone, as NNTP
// sends its status lines (RFC 3977, section 3.2): there are no
// continuation lines, so a dash after the code is not one. The Reply's
// Text is the text after the code and Lines holds it as the only line;
// Enhanced is empty. A line that is not a status line fails with
// engine.Mismatch showing it.
func (c *Conn) ReadStatus(ctx context.Context, s *engine.Session) (Reply, error) {
	stop := engine.Deadline(ctx, c.nc)
	defer stop()
	line, raw, err := c.readLine(ctx, s, awaited{what: "a reply"}, time.Now())
	if err != nil {
		return Reply{}, err
	}
	r := Reply{raw: raw}
	ok := len(line) >= 3 && (len(line) == 3 || line[3] == ' ')
	for i := 0; ok && i < 3; i++ {
		ok = line[i] >= '0' && line[i] <= '9'
		r.Code = r.Code*10 + int(line[i]-'0')
	}
	if !ok {
		return Reply{raw: raw}, &engine.Mismatch{Received: raw, Msg: fmt.Sprintf(
			"%s is not a reply line: a reply line starts with a 3-digit code and a space", engine.Quote(raw, 80))}
	}
	if len(line) > 4 {
		r.Text = line[4:]
	}
	r.Lines = []string{r.Text}
	return r, nil
}
