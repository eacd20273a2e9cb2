package lineproto

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/mail"
	"github.com/netrunhq/netrun/steps/internal/wire"
)

// Request is a command of a Dialogue and how its reply is read.
type Request struct {
	// Line is the command line, without its line ending; "" for a reply
	// no command asked for, such as a greeting.
	Line string
	// Text lets Line hold several lines, each sent ending with CRLF (a
	// bare LF becomes CRLF), as SMTP's send: { command } and { line } do
	// for a message typed by hand. Otherwise Line must not hold CR or LF.
	Text bool
	// Max caps the data block that may follow the reply (32 MiB when 0),
	// and Size is the size the peer announced for it, or 0: a block is read
	// into one buffer of that size when it is within Max.
	Max, Size int
}

// Verb returns the command word of the line, upper case, for messages.
func (r Request) Verb() string { return Verb(r.Line) }

// Verb returns the command word of line, upper case, for messages.
func Verb(line string) string {
	w, _, _ := strings.Cut(strings.TrimSpace(line), " ")
	return strings.ToUpper(w)
}

// Transport is what a Dialogue talks over: Replies over a Conn (see
// NewDialogue), or another connection, such as FTP's control connection
// under its library.
type Transport[R any] interface {
	// Write sends the request's line.
	Write(ctx context.Context, s *engine.Session, req Request) error
	// Read reads the reply to the request, and the data block after it,
	// if any, dot-unstuffed with its line endings.
	Read(ctx context.Context, s *engine.Session, req Request) (R, []byte, error)
	// Err says why the connection can no longer be used, or is nil.
	Err() error
}

// Dialogue is a conversation of commands and replies, one reply to each
// command, in order, as every line protocol has it: a command that reads
// its reply (send: { command }), a command written alone whose reply a
// later step reads (send: { line } then expect), and QUIT at the end. It
// is parameterised by the protocol's reply R and its Transport, as
// net/textproto.Conn serves every standard client. It is not safe for
// concurrent use.
type Dialogue[R any] struct {
	t Transport[R]
	// Proto names the protocol in messages, "POP3"; Noun names a reply,
	// "reply" or "response"; Remote is the peer's address.
	Proto, Noun, Remote string
	// Explain, when set, words every error of the transport for a step,
	// what being the command word or "expect"; else the errors of Command
	// are prefixed with the command word and the others are kept.
	Explain func(what string, err error) error
	// Bind, when set, makes ctx and s those of the transport's I/O until
	// the function it returns is called (FTP's control connection, which
	// its library reads too, takes them that way).
	Bind func(ctx context.Context, s *engine.Session) (unbind func())

	// awaiting are the commands written by Send whose replies Next has
	// not read yet, oldest first.
	awaiting []string
	// broken says why the dialogue is out of step, or is nil.
	broken error
}

// NewDialogueOver returns a dialogue over t with the peer at remote.
func NewDialogueOver[R any](t Transport[R], proto, remote string) *Dialogue[R] {
	return &Dialogue[R]{t: t, Proto: proto, Noun: "reply", Remote: remote}
}

// Usable fails when the connection can no longer carry commands.
func (d *Dialogue[R]) Usable() error {
	err := d.broken
	if err == nil {
		err = d.t.Err()
	}
	if err != nil {
		// %v: a check failure that broke the connection fails its own
		// step; a later step is an error, it cannot run.
		return fmt.Errorf("the %s connection to %s cannot be used: %v", d.Proto, d.Remote, err)
	}
	return nil
}

// Ready fails unless a command may be sent now: the connection is usable
// and no reply to a line written by Send is still unread. what names the
// command, for the message.
func (d *Dialogue[R]) Ready(what string) error {
	if err := d.Usable(); err != nil {
		return err
	}
	if len(d.awaiting) > 0 {
		return fmt.Errorf("%s: the %s to %s, sent with send: { line }, has not been read yet: expect it first",
			what, d.Noun, Verb(d.awaiting[0]))
	}
	return nil
}

// Break marks the dialogue out of step for why, unless it is already.
func (d *Dialogue[R]) Break(why error) {
	if d.broken == nil {
		d.broken = why
	}
}

// Command writes req's line and reads its reply (send: { command }, and
// the plugins' own commands).
func (d *Dialogue[R]) Command(ctx context.Context, s *engine.Session, req Request) (R, []byte, error) {
	var zero R
	if err := d.Ready(req.Verb()); err != nil {
		return zero, nil, err
	}
	if err := d.t.Write(ctx, s, req); err != nil {
		return zero, nil, d.fail(req.Verb(), err, true)
	}
	r, block, err := d.Reply(ctx, s, req)
	if err != nil {
		return r, nil, d.fail(req.Verb(), err, true)
	}
	return r, block, nil
}

// Reply reads the reply to req without writing anything: a greeting, or
// the reply to a block written after a command (an NNTP article).
func (d *Dialogue[R]) Reply(ctx context.Context, s *engine.Session, req Request) (R, []byte, error) {
	r, block, err := d.t.Read(ctx, s, req)
	var cut *cutOff
	if errors.As(err, &cut) {
		d.Break(fmt.Errorf("the %s to %s was cut off: %w", d.Noun, req.Verb(), cut.err))
		err = cut.err
	}
	return r, block, err
}

// Send writes req's line and leaves its reply for Next (send: { line }).
// It returns the step's result: a wire.SendResult, or nil with an error.
func (d *Dialogue[R]) Send(ctx context.Context, s *engine.Session, req Request) (any, error) {
	if err := d.Usable(); err != nil {
		return nil, err
	}
	if err := d.t.Write(ctx, s, req); err != nil {
		return nil, d.fail(req.Verb(), err, false)
	}
	d.awaiting = append(d.awaiting, req.Line)
	return wire.SendResult{Bytes: wireLen(req)}, nil
}

// Next reads the next reply (expect): the reply to the oldest line written
// by Send, read as that command's reply (with its data block, within
// max), or, when none is awaited, a reply no command asked for. It returns
// the command line the reply answers, "" for none.
func (d *Dialogue[R]) Next(ctx context.Context, s *engine.Session, max int) (R, []byte, string, error) {
	var zero R
	if err := d.Usable(); err != nil {
		return zero, nil, "", err
	}
	var cmd string
	if len(d.awaiting) > 0 {
		cmd = d.awaiting[0]
	}
	r, block, err := d.Reply(ctx, s, Request{Line: cmd, Max: max})
	if err != nil {
		return r, nil, cmd, d.fail("expect", err, false)
	}
	if len(d.awaiting) > 0 {
		d.awaiting = d.awaiting[1:]
	}
	return r, block, cmd, nil
}

// errNotSent is Quit's error when the dialogue was out of step or the
// connection unusable, so that QUIT was not sent.
var errNotSent = errors.New("the connection was unusable, so QUIT was not sent")

// Quit reads the replies still awaited, then says QUIT and reads its
// reply, within ctx and, when wait > 0, within wait. It does not close the
// connection.
func (d *Dialogue[R]) Quit(ctx context.Context, wait time.Duration) (R, error) {
	var zero R
	if d.Usable() != nil {
		return zero, errNotSent
	}
	if wait > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, wait)
		defer cancel()
	}
	for len(d.awaiting) > 0 {
		if _, _, cmd, err := d.Next(ctx, nil, 0); err != nil {
			return zero, fmt.Errorf("QUIT: reading the reply to %s: %w", Verb(cmd), err)
		}
	}
	r, _, err := d.Command(ctx, nil, Request{Line: "QUIT"})
	return r, err
}

// bind calls Bind, if set.
func (d *Dialogue[R]) bind(ctx context.Context, s *engine.Session) (unbind func()) {
	if d.Bind == nil {
		return func() {}
	}
	return d.Bind(ctx, s)
}

// fail words err of the command what; prefix is whether, without Explain,
// the command word is put before it.
func (d *Dialogue[R]) fail(what string, err error, prefix bool) error {
	switch {
	case d.Explain != nil:
		return d.Explain(what, err)
	case prefix:
		return fmt.Errorf("%s: %w", what, err)
	}
	return err
}

// cutOff is the error of a reply whose data block was cut off: the
// dialogue is out of step after it.
type cutOff struct{ err error }

func (e *cutOff) Error() string { return e.err.Error() }
func (e *cutOff) Unwrap() error { return e.err }

// appendWire appends to b what Write sends for req.
func appendWire(b []byte, req Request) []byte {
	if req.Text {
		return append(b, crlfLines(req.Line)...)
	}
	return append(append(b, req.Line...), '\r', '\n')
}

// wireLen is the length of what Write sends for req, counted without
// building it: crlfLines adds a CR before each bare LF, and a line ending
// after a last line without one.
func wireLen(req Request) int {
	if !req.Text {
		return len(req.Line) + 2
	}
	v := req.Line
	n := len(v) + strings.Count(v, "\n") - strings.Count(v, "\r\n")
	switch {
	case strings.HasSuffix(v, "\n"):
	case strings.HasSuffix(v, "\r"):
		n++
	default:
		n += 2
	}
	return n
}

// crlfLines ends every line of v with CRLF: a YAML block of several lines is
// sent as several lines, and a bare LF becomes CRLF.
func crlfLines(v string) string {
	s := mail.CRLF(v)
	if !strings.HasSuffix(s, "\n") {
		s = strings.TrimSuffix(s, "\r") + "\r\n"
	}
	return s
}

// Replies says how a protocol's replies are read from a Conn, for
// NewDialogue.
type Replies[R any] struct {
	// Read reads a reply, or the status line of one that a data block may
	// follow: ReadReply's 3-digit reply (SMTP), ReadStatus's status line
	// (NNTP), POP3's +OK or -ERR. Its receiver comes first, so that a
	// method expression such as (*Conn).ReadReply is one.
	Read func(c *Conn, ctx context.Context, s *engine.Session) (R, error)
	// Block reports whether r, the reply to the command line, is followed
	// by a dot-terminated block (POP3's RETR, NNTP's ARTICLE); nil when no
	// reply ever is.
	Block func(line string, r R) bool
}

// NewDialogue returns a dialogue over c whose replies are read as rs says.
func NewDialogue[R any](c *Conn, rs Replies[R], proto, remote string) *Dialogue[R] {
	return NewDialogueOver[R](&lineTransport[R]{c: c, rs: rs}, proto, remote)
}

// lineTransport is a Transport over a Conn.
type lineTransport[R any] struct {
	c  *Conn
	rs Replies[R]
}

// Write sends the line, or the lines of a Text request.
func (t *lineTransport[R]) Write(ctx context.Context, s *engine.Session, req Request) error {
	if req.Text {
		return t.c.writeData(ctx, s, []byte(crlfLines(req.Line)))
	}
	return t.c.WriteLine(ctx, s, req.Line)
}

// Read reads the reply and, when Block says one follows, the block.
func (t *lineTransport[R]) Read(ctx context.Context, s *engine.Session, req Request) (R, []byte, error) {
	r, err := t.rs.Read(t.c, ctx, s)
	if err != nil || t.rs.Block == nil || !t.rs.Block(req.Line, r) {
		return r, nil, err
	}
	block, err := t.c.readDotBlockSize(ctx, s, req.Max, req.Size)
	if err != nil {
		return r, nil, &cutOff{err}
	}
	return r, block, nil
}

// Err says why the connection can no longer be used.
func (t *lineTransport[R]) Err() error { return t.c.Err() }

// CloseConn closes nc within ctx, once the dialogue over it is over. An
// error is one of closing a plain TCP connection that was not closed yet:
// closing TLS sends close_notify to a peer that may have left already.
func CloseConn(ctx context.Context, nc net.Conn, isTLS bool) error {
	stop := engine.Deadline(ctx, nc)
	defer stop()
	err := nc.Close()
	if err == nil || isTLS || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return fmt.Errorf("close %s: %w", nc.RemoteAddr(), err)
}
