package ftp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// SendResult is the result of send: upload, delete, mkdir, rmdir and
// rename.
type SendResult struct {
	// Reply is the server's last reply: 226 after an upload, 250 after
	// DELE, RMD and RNTO, 257 after MKD.
	Reply lineproto.Reply `expr:"reply" json:"reply"`
	// Path is the remote path acted on: the upload's to, the path deleted,
	// made or removed, or the new name of a rename.
	Path string `expr:"path" json:"path"`
	// Size and SHA256 describe what an upload sent; 0 and "" otherwise.
	// SHA256 is computed only when the scenario reads it, as fetch's.
	Size   int    `expr:"size" json:"size"`
	SHA256 string `expr:"sha256" json:"sha256,omitempty"`
}

// sendSpec is the value of send: exactly one of its forms.
type sendSpec struct {
	// Upload stores a file or inline content (STOR).
	Upload *uploadSpec `yaml:"upload"`
	// Delete removes a file (DELE).
	Delete engine.Template `yaml:"delete"`
	// Mkdir makes a directory (MKD).
	Mkdir engine.Template `yaml:"mkdir"`
	// Rmdir removes an empty directory (RMD).
	Rmdir engine.Template `yaml:"rmdir"`
	// Rename renames a file or directory (RNFR, RNTO).
	Rename *renameSpec `yaml:"rename"`
	// Command is written and its reply read: the result, whatever its
	// code.
	Command engine.Template `yaml:"command"`
	// Line is written and no reply is read: an expect step reads it.
	Line engine.Template `yaml:"line"`
}

// uploadSpec is send: { upload: { file | content, to } }.
type uploadSpec struct {
	// File is a local file, relative to the scenario's folder.
	File engine.Template `yaml:"file"`
	// Content is the text to store.
	Content engine.Template `yaml:"content"`
	// To is the remote path; default: the base name of file.
	To engine.Template `yaml:"to"`
}

// renameSpec is send: { rename: { from, to } }.
type renameSpec struct {
	From engine.Template `yaml:"from"`
	To   engine.Template `yaml:"to"`
}

// sendForms lists the forms of send for messages.
const sendForms = "{ upload: { file | content, to } }, { delete: PATH }, { mkdir: PATH }, { rmdir: PATH }, { rename: { from, to } }, { command: TEXT } or { line: TEXT }"

// refusedHint says why a raw command is refused and what to use instead,
// or returns "" for a command send: { command } may send: those that need
// a data connection or change the connection under the library are
// refused.
func refusedHint(verb string) string {
	switch verb {
	case "PASV", "EPSV", "PORT", "EPRT", "LPRT", "LPSV":
		return "fetch and send open data connections themselves"
	case "RETR":
		return "use fetch: { path }"
	case "LIST", "MLSD", "NLST":
		return "use fetch: { list }"
	case "STOR", "STOU", "APPE":
		return "use send: { upload }"
	case "AUTH":
		return "use starttls: true on connect"
	case "PBSZ", "PROT":
		return "netrun sets it up at login"
	case "CCC":
		return "netrun keeps TLS on"
	case "REIN":
		return "connect again instead"
	case "QUIT":
		return "use close"
	}
	return ""
}

// sendAction is send: upload, delete, mkdir, rmdir and rename.
type sendAction struct {
	engine.Returns[SendResult]
	spec sendSpec
	// noHash is set when no expression reads an upload's sha256.
	noHash bool
}

// UseFields learns at load time whether the scenario reads sha256
// (engine.FieldUser): an upload is hashed only then.
func (a *sendAction) UseFields(f engine.FieldSet) { a.noHash = !f.Has("sha256") }

// sends are the forms of send.
var sends = lineproto.Sends[lineproto.Reply, *conn]{Forms: sendForms,
	Own:     []string{"upload", "delete", "mkdir", "rmdir", "rename"},
	Command: lineproto.CommandAction[lineproto.Reply, *conn]{Check: checkCommand}}

// decodeSend compiles send.
func decodeSend(d *engine.Decoder) (engine.TypedAction, error) {
	var spec sendSpec
	form, a, err := sends.Decode(d, &spec, &spec.Command, &spec.Line, func(form string) (engine.TypedAction, bool) {
		return &sendAction{spec: spec}, spec.has(form)
	})
	if err != nil {
		return a, err
	}
	return a, spec.check(d, form)
}

// has reports whether the value of one of ftp's own forms was given.
func (sp *sendSpec) has(form string) bool {
	switch form {
	case "upload":
		return sp.Upload != nil
	case "rename":
		return sp.Rename != nil
	}
	return sp.path(form).IsSet()
}

// path is the value of delete, mkdir or rmdir, as form says.
func (sp *sendSpec) path(form string) *engine.Template {
	switch form {
	case "delete":
		return &sp.Delete
	case "mkdir":
		return &sp.Mkdir
	}
	return &sp.Rmdir
}

// check checks the form's value at load time and names the step.
func (sp *sendSpec) check(d *engine.Decoder, form string) error {
	errs := wire.LoadErrors{At: d.Pos(d.Value)}
	at := engine.MapKey(d.Value, form)
	switch form {
	case "upload":
		u := sp.Upload
		if u.File.IsSet() == u.Content.IsSet() {
			errs.Add(d.Errorf(at, "upload takes one of file and content"))
		} else if u.Content.IsSet() && !u.To.IsSet() {
			errs.Add(d.Errorf(at, "upload of content needs to: the remote path"))
		}
		src := u.File.Source()
		if u.Content.IsSet() {
			src = "content"
		}
		d.Name = d.Scheme + " upload " + src
		if u.To.IsSet() {
			d.Name += " to " + u.To.Source()
		}
	case "rename":
		if !sp.Rename.From.IsSet() || !sp.Rename.To.IsSet() {
			errs.Add(d.Errorf(at, "rename takes { from, to }"))
		}
		d.Name = d.Scheme + " rename " + sp.Rename.From.Source() + " to " + sp.Rename.To.Source()
	case "delete", "mkdir", "rmdir":
		d.Name = d.Scheme + " " + form + " " + sp.path(form).Source()
	default:
		t := &sp.Command
		if form == "line" {
			t = &sp.Line
		}
		if lit, ok := t.Literal(); ok {
			if err := checkCommand(lit); err != nil {
				errs.Add(&engine.Error{Pos: t.Pos(), Msg: err.Error()})
			}
		}
	}
	return errs.Err()
}

// checkCommand refuses the commands refusedHint names, and empty ones.
func checkCommand(line string) error {
	v := verbOf(line)
	if v == "" {
		return fmt.Errorf("the command is empty")
	}
	if hint := refusedHint(v); hint != "" {
		return fmt.Errorf("%s cannot be sent as a raw command: %s", v, hint)
	}
	return nil
}

// Do carries out the send.
func (a *sendAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	sp := &a.spec
	switch {
	case sp.Upload != nil:
		return c.upload(ctx, s, sp.Upload, !a.noHash)
	case sp.Rename != nil:
		from, err := sp.Rename.From.String(s)
		if err != nil {
			return nil, fmt.Errorf("rename from: %w", err)
		}
		to, err := sp.Rename.To.String(s)
		if err != nil {
			return nil, fmt.Errorf("rename to: %w", err)
		}
		return c.simple(ctx, s, "RNFR "+from+", RNTO "+to, to, func() error { return c.sc.Rename(from, to) })
	}
	for _, op := range []struct {
		t    *engine.Template
		verb string
		fn   func(string) error
	}{{&sp.Delete, "DELE", c.sc.Delete}, {&sp.Mkdir, "MKD", c.sc.MakeDir}, {&sp.Rmdir, "RMD", c.sc.RemoveDir}} {
		if !op.t.IsSet() {
			continue
		}
		p, err := op.t.String(s)
		if err != nil {
			return nil, err
		}
		return c.simple(ctx, s, op.verb+" "+p, p, func() error { return op.fn(p) })
	}
	return nil, fmt.Errorf("ftp send takes %s", sendForms)
}

// simple runs a library operation that needs no data connection.
func (c *conn) simple(ctx context.Context, s *engine.Session, what, p string, op func() error) (SendResult, error) {
	res := SendResult{Path: p}
	if err := c.d.Ready(what); err != nil {
		return res, err
	}
	unbind := c.bind(ctx, s)
	defer unbind()
	err := op()
	res.Reply = c.reply()
	if err != nil {
		return res, c.explain(what, err)
	}
	return res, nil
}

// upload stores a local file or inline content (STOR), hashing it when
// hashed is set.
func (c *conn) upload(ctx context.Context, s *engine.Session, u *uploadSpec, hashed bool) (SendResult, error) {
	var src io.Reader
	var to string
	if u.File.IsSet() {
		name, err := u.File.String(s)
		if err != nil {
			return SendResult{}, fmt.Errorf("upload file: %w", err)
		}
		f, err := os.Open(s.Path(name))
		if err != nil {
			return SendResult{}, fmt.Errorf("upload file: %w", err)
		}
		defer f.Close()
		src, to = f, path.Base(strings.ReplaceAll(name, "\\", "/"))
	} else {
		content, err := u.Content.String(s)
		if err != nil {
			return SendResult{}, fmt.Errorf("upload content: %w", err)
		}
		src = strings.NewReader(content)
	}
	if u.To.IsSet() {
		var err error
		if to, err = u.To.String(s); err != nil {
			return SendResult{}, fmt.Errorf("upload to: %w", err)
		}
	}
	cr := &countingReader{r: src}
	h := sha256.New()
	if hashed {
		cr.r = io.TeeReader(src, h)
	}
	res, err := c.simple(ctx, s, "STOR "+to, to, func() error { return c.sc.Stor(to, cr) })
	res.Size = int(cr.n)
	if hashed {
		res.SHA256 = hex.EncodeToString(h.Sum(nil))
	}
	switch {
	case err != nil:
	case hashed:
		s.Note("sent %s, sha256 %s", bytesize.Format(res.Size), res.SHA256)
	default:
		s.Note("sent %s", bytesize.Format(res.Size))
	}
	return res, err
}

// countingReader counts what is read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.n += int64(n)
	return n, err
}
