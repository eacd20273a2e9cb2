package ftp

import (
	"context"
	"fmt"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// Caps of fetch.
const (
	// defaultMaxSize is the most a download without `to`, or a listing,
	// may hold in memory unless max_size says otherwise.
	defaultMaxSize = 16 << 20
	// maxText is the largest download whose content `text` holds when it
	// was written to a file (`to`).
	maxText = 64 << 10
)

// FileResult is the result of fetch: { path }, a download.
type FileResult struct {
	// Path is the remote path, as the step gave it.
	Path string `expr:"path" json:"path"`
	// To is the local file written (absolute), or "" when the content was
	// kept in memory.
	To string `expr:"to" json:"to"`
	// Size is the number of bytes received.
	Size int `expr:"size" json:"size"`
	// SHA256 is the SHA-256 of the content, lower-case hex, when the
	// scenario reads it (an expression names it, engine.FieldUser); else
	// "" and absent from reports: hashing costs a CPU-second a GiB.
	SHA256 string `expr:"sha256" json:"sha256,omitempty"`
	// Text is the content: always without `to` (at most max_size), and
	// with `to` when the file is at most 64 KiB; else "".
	Text string `expr:"text" json:"text"`
	// Reply is the server's last reply: 226 when the transfer completed.
	Reply lineproto.Reply `expr:"reply" json:"reply"`
}

// ListResult is the result of fetch: { list }, a directory listing.
type ListResult struct {
	// Path is the directory, as the step gave it ("" for the current one).
	Path string `expr:"path" json:"path"`
	// Command is MLSD (RFC 3659, when the server offers MLST) or LIST.
	Command string `expr:"command" json:"command"`
	// Entries are the directory's entries in the server's order, without
	// "." and "..".
	Entries []Entry `expr:"entries" json:"entries"`
	// Unparsed are the lines of the listing that could not be read as an
	// entry; the step fails when there are any.
	Unparsed []string `expr:"unparsed" json:"unparsed"`
	// Reply is the server's last reply: 226 when the listing completed.
	Reply lineproto.Reply `expr:"reply" json:"reply"`
}

// Entry is one entry of a directory listing.
type Entry struct {
	// Name is the entry's name, without its directory.
	Name string `expr:"name" json:"name"`
	// Type is "file", "dir" or "link".
	Type string `expr:"type" json:"type"`
	// Size is the size in bytes as the listing gives it (0 for most
	// directories).
	Size int `expr:"size" json:"size"`
	// Modified is the time of the last change, in UTC. LIST gives minutes
	// at best, and no year for recent files (the library guesses it);
	// MLSD gives seconds.
	Modified time.Time `expr:"modified" json:"modified"`
	// Target is where a link points, when LIST says it.
	Target string `expr:"target" json:"target"`
}

// fetchSpec is the value of fetch: { path, to, max_size }, { list,
// max_size } or { names, max_size }. A scalar is a path.
type fetchSpec struct {
	// Path is the remote file to download (RETR).
	Path engine.Template `yaml:"path"`
	// To is the local file to write, relative to the scenario's folder;
	// without it the content is kept in memory.
	To engine.Template `yaml:"to"`
	// List is the remote directory to list; "" for the current one.
	List engine.Template `yaml:"list"`
	// Names is the remote directory whose names are listed (NLST); "" for
	// the current one.
	Names engine.Template `yaml:"names"`
	// MaxSize caps what is received: a download kept in memory, a listing
	// or a name list (default 16 MiB), a download written to a file (no
	// default).
	MaxSize engine.Template `yaml:"max_size"`
}

// fetchAction is fetch.
type fetchAction struct {
	spec fetchSpec
	// noHash is set when no expression reads the download's sha256.
	noHash bool
}

// UseFields learns at load time whether the scenario reads sha256
// (engine.FieldUser): a download is hashed only then.
func (a *fetchAction) UseFields(f engine.FieldSet) { a.noHash = !f.Has("sha256") }

// Result is a ListResult for a list, a NamesResult for names, else a
// FileResult (engine.TypedAction): the type follows the spec loaded, even
// in part.
func (a *fetchAction) Result() any {
	switch {
	case a.spec.List.IsSet():
		return ListResult{}
	case a.spec.Names.IsSet():
		return NamesResult{}
	}
	return FileResult{}
}

// fetchUsage gives the forms of fetch.
const fetchUsage = "ftp fetch takes a remote path, { path, to, max_size }, { list: DIR, max_size } or { names: DIR, max_size }"

// fetchForms are the keys of which a fetch mapping takes one.
var fetchForms = engine.OneOf{Keys: []string{"path", "list", "names"}, Usage: fetchUsage + ": give one of path, list and names"}

// decodeFetch compiles fetch.
func decodeFetch(d *engine.Decoder) (engine.TypedAction, error) {
	a := &fetchAction{}
	err := wire.LoadForm(d, &a.spec, &a.spec.Path, fetchUsage)
	if err != nil {
		return a, err
	}
	sp := &a.spec
	errs := wire.LoadErrors{At: d.Pos(d.Value)}
	clash := error(nil)
	if d.Value.Kind == yaml.MappingNode { // a scalar is the path
		_, clash = fetchForms.Check(d.Value)
	}
	errs.Add(clash)
	if clash == nil && sp.To.IsSet() && (sp.List.IsSet() || sp.Names.IsSet()) {
		form := "list"
		if sp.Names.IsSet() {
			form = "names"
		}
		errs.Add(&engine.Error{Pos: sp.To.Pos(), Msg: "to is for downloads (path), not for " + form})
	}
	errs.Add(bytesize.Check(&sp.MaxSize, "max_size"))
	if lit, ok := sp.Path.Literal(); ok && lit == "" {
		errs.Add(&engine.Error{Pos: sp.Path.Pos(), Msg: "path is empty: name the remote file to download"})
	}
	switch {
	case sp.List.IsSet():
		d.Name = d.Scheme + " list " + orDot(sp.List.Source())
	case sp.Names.IsSet():
		d.Name = d.Scheme + " names " + orDot(sp.Names.Source())
	case sp.To.IsSet():
		d.Name = d.Scheme + " fetch " + sp.Path.Source() + " to " + sp.To.Source()
	default:
		d.Name = d.Scheme + " fetch " + sp.Path.Source()
	}
	return a, errs.Err()
}

// orDot names the current directory "." in step names.
func orDot(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// Do downloads the file or lists the directory.
func (a *fetchAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	sp := &a.spec
	switch {
	case sp.List.IsSet():
		dir, max, err := a.dirAndMax(s, &sp.List, "list")
		if err != nil {
			return nil, err
		}
		return c.list(ctx, s, dir, max)
	case sp.Names.IsSet():
		dir, max, err := a.dirAndMax(s, &sp.Names, "names")
		if err != nil {
			return nil, err
		}
		return c.nameList(ctx, s, dir, max)
	}
	path, err := sp.Path.String(s)
	if err != nil {
		return nil, fmt.Errorf("path: %w", err)
	}
	if path == "" {
		return nil, fmt.Errorf("path is empty: name the remote file to download")
	}
	var to string
	def := defaultMaxSize
	if sp.To.IsSet() {
		if to, err = sp.To.String(s); err != nil {
			return nil, fmt.Errorf("to: %w", err)
		}
		if to == "" {
			return nil, fmt.Errorf("to is empty: name the local file to write, or leave to out")
		}
		to, def = s.Path(to), 0
	}
	max, err := bytesize.Eval(s, &sp.MaxSize, "max_size", def)
	if err != nil {
		return nil, err
	}
	return c.download(ctx, s, path, to, max, !a.noHash)
}

// dirAndMax evaluates the directory of list or names (key) and max_size.
func (a *fetchAction) dirAndMax(s *engine.Session, t *engine.Template, key string) (string, int, error) {
	dir, err := t.String(s)
	if err != nil {
		return "", 0, fmt.Errorf("%s: %w", key, err)
	}
	max, err := bytesize.Eval(s, &a.spec.MaxSize, "max_size", defaultMaxSize)
	return dir, max, err
}
