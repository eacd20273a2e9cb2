package ftp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
)

// NamesResult is the result of fetch: { names }, a name list (NLST).
type NamesResult struct {
	// Path is the directory, as the step gave it ("" for the current one).
	Path string `expr:"path" json:"path"`
	// Names are the lines of the name list in the server's order, as the
	// server gives them: some servers put the directory before each name
	// when NLST is given one (pub/a.txt), others do not.
	Names []string `expr:"names" json:"names"`
	// Reply is the server's last reply: 226 when the list completed.
	Reply lineproto.Reply `expr:"reply" json:"reply"`
}

// nameList runs NLST dir: the names, without empty lines.
func (c *conn) nameList(ctx context.Context, s *engine.Session, dir string, max int) (NamesResult, error) {
	res := NamesResult{Path: dir, Names: []string{}}
	var names []string
	what := strings.TrimSpace("NLST " + dir)
	reply, err := c.listing(ctx, s, what, "name list", max, false, func() (err error) {
		names, err = c.sc.NameList(dir)
		return err
	})
	res.Reply = reply
	if err != nil {
		return res, err
	}
	for _, n := range names {
		if n != "" {
			res.Names = append(res.Names, n)
		}
	}
	s.Note("%d names", len(res.Names))
	return res, nil
}

// listing runs what, a listing command (run calls the library's List or
// NameList), reading at most max bytes, and returns the server's reply.
// With keep set the data connection keeps what it receives (LIST, MLSD),
// which counts against max as it takes in memory. The error names the
// listing by noun: "listing", "name list".
func (c *conn) listing(ctx context.Context, s *engine.Session, what, noun string, max int, keep bool, run func() error) (lineproto.Reply, error) {
	if err := c.d.Ready(what); err != nil {
		return lineproto.Reply{}, err
	}
	unbind := c.bind(ctx, s)
	defer unbind()
	c.limit, c.keep = int64(max), keep
	err := run()
	reply := c.reply()
	counting := ""
	if keep {
		counting = fmt.Sprintf(", counting what it takes in memory (%d times its bytes and %d bytes a line)", listingWeight, lineCost)
	}
	switch {
	case err == nil:
		return reply, nil
	case errors.Is(err, errTooMuch):
		return reply, fmt.Errorf("%s: the %s is larger than max_size (%s)%s; netrun stopped reading it", what, noun, bytesize.Format(max), counting)
	case errors.Is(err, bufio.ErrTooLong):
		return reply, fmt.Errorf("%s: a line of the %s is longer than 64 KiB", what, noun)
	}
	return reply, c.explain(what, err)
}
