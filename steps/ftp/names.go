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
	what := strings.TrimSpace("NLST " + dir)
	if err := c.d.Ready(what); err != nil {
		return res, err
	}
	unbind := c.bind(ctx, s)
	defer unbind()
	c.limit = int64(max)
	names, err := c.sc.NameList(dir)
	res.Reply = c.reply()
	if err != nil {
		switch {
		case errors.Is(err, errTooMuch):
			return res, fmt.Errorf("%s: the name list is larger than max_size (%s); netrun stopped reading it", what, bytesize.Format(max))
		case errors.Is(err, bufio.ErrTooLong):
			return res, fmt.Errorf("%s: a line of the name list is longer than 64 KiB", what)
		}
		return res, c.explain(what, err)
	}
	for _, n := range names {
		if n != "" {
			res.Names = append(res.Names, n)
		}
	}
	s.Note("%d names", len(res.Names))
	return res, nil
}
