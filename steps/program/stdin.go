package program

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// stdinPipe is the write end of a program's stdin, when its spawn step
// says `stdin: { pipe: true }`: send steps write to it, and it is closed
// by `send: { close_stdin: true }` or when the program is stopped.
type stdinPipe struct {
	mu     sync.Mutex
	f      *os.File
	closed bool
}

// write writes b within ctx: a program that does not read its stdin fills
// the pipe, and the write ends with the step's deadline.
func (w *stdinPipe) write(ctx context.Context, b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return 0, engine.Own(errors.New("stdin is closed: an earlier send closed it"))
	}
	stop := engine.Deadline(ctx, w.f)
	defer stop()
	n, err := w.f.Write(b)
	switch {
	case err == nil:
		return n, nil
	case errors.Is(err, os.ErrDeadlineExceeded):
		return n, fmt.Errorf("the program did not read its stdin: %d of %d bytes written before the step's deadline", n, len(b))
	case errors.Is(err, syscall.EPIPE):
		return n, fmt.Errorf("the program closed its stdin (or ended): %d of %d bytes written", n, len(b))
	}
	return n, fmt.Errorf("write to stdin: %w", err)
}

// close closes the pipe once: the program reads end of file.
func (w *stdinPipe) close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	return w.f.Close()
}

// sendConfig is the value of send on a program: { stdin: PAYLOAD } or
// { close_stdin: true }.
type sendConfig struct {
	Stdin      *wire.Payload `yaml:"stdin"`
	CloseStdin bool          `yaml:"close_stdin"`
}

// sendUsage is what send on a program takes.
const sendUsage = "send on a program takes { stdin: TEXT } (or a payload mapping: { stdin: { line: TEXT } }, hex, base64, file) or { close_stdin: true }; its spawn needs stdin: { pipe: true }"

// sendKeys: send on a program does one thing.
var sendKeys = engine.OneOf{Keys: []string{"stdin", "close_stdin"}, None: sendUsage,
	Both: func(a, b string) string {
		return fmt.Sprintf("send on a program takes stdin or close_stdin, not both %s and %s: use two steps", a, b)
	}}

// sendAction writes to a program's stdin, or closes it.
type sendAction struct {
	engine.Returns[wire.SendResult]
	cfg sendConfig
}

// decodeSend compiles send on a program.
func decodeSend(d *engine.Decoder) (engine.TypedAction, error) {
	a := &sendAction{}
	if d.Value.Kind != yaml.MappingNode {
		return a, d.Errorf(d.Value, "%s", sendUsage)
	}
	if err := d.Load(d.Value, &a.cfg); err != nil {
		return a, err
	}
	if _, err := sendKeys.Check(d.Value); err != nil {
		return a, err
	}
	if k := engine.MapKey(d.Value, "close_stdin"); k != nil && !a.cfg.CloseStdin {
		return a, d.Errorf(k, "close_stdin takes true")
	}
	return a, nil
}

// Do writes the payload (with \n for { line }) or closes stdin.
func (a *sendAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	p, err := engine.TargetAs[*process](s)
	if err != nil {
		return nil, err
	}
	if p.stdin == nil {
		return nil, engine.Own(errors.New("this program's stdin is not a pipe: spawn it with stdin: { pipe: true }"))
	}
	if a.cfg.CloseStdin {
		s.Note("closed the stdin of %s", p.name)
		if err := p.stdin.close(); err != nil {
			return nil, fmt.Errorf("close stdin: %w", err)
		}
		return wire.SendResult{}, nil
	}
	b, err := a.cfg.Stdin.Bytes(s, "\n")
	if err != nil {
		return nil, err
	}
	n, err := p.stdin.write(ctx, b)
	s.Sent(b[:n])
	if err != nil {
		return nil, err
	}
	return wire.SendResult{Bytes: n}, nil
}
