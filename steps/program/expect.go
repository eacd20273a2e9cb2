package program

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// expectConfig is the value of expect on a program: exactly one of
// stdout, stderr and exit. A scalar `expect: TEXT` is `{ stdout: TEXT }`.
type expectConfig struct {
	Stdout *wire.Expect     `yaml:"stdout"`
	Stderr *wire.Expect     `yaml:"stderr"`
	Exit   *engine.Template `yaml:"exit"`
}

// expectAction waits for the program's output or its end.
type expectAction struct {
	engine.Returns[ExpectResult]
	cfg expectConfig
}

// expectUsage is what expect on a program takes.
const expectUsage = "expect on a program takes { stdout: ... }, { stderr: ... } (matched like tcp data: equals, contains, match, line...) or { exit: 0 }"

// expectKeys: expect on a program waits for one thing.
var expectKeys = engine.OneOf{Keys: []string{"stdout", "stderr", "exit"}, None: expectUsage,
	Both: func(a, b string) string {
		return fmt.Sprintf("expect on a program takes one of stdout, stderr and exit, not both %s and %s: use two steps", a, b)
	}}

// decodeExpect compiles expect on a program.
func decodeExpect(d *engine.Decoder) (engine.TypedAction, error) {
	a := &expectAction{}
	switch {
	case engine.IsNull(d.Value):
		return a, d.Errorf(d.Value, "%s", expectUsage)
	case d.Value.Kind == yaml.ScalarNode:
		a.cfg.Stdout = &wire.Expect{}
		if err := d.Load(d.Value, a.cfg.Stdout); err != nil {
			return a, err
		}
	case d.Value.Kind == yaml.MappingNode:
		if err := d.Load(d.Value, &a.cfg); err != nil {
			return a, err
		}
		if _, err := expectKeys.Check(d.Value); err != nil {
			return a, err
		}
		if a.cfg.Exit != nil {
			if err := checkExit(a.cfg.Exit); err != nil {
				return a, d.Errorf(engine.MapValue(d.Value, "exit"), "%s", err)
			}
		}
	default:
		return a, d.Errorf(d.Value, "%s", expectUsage)
	}
	d.Name = "expect " + a.describe()
	return a, nil
}

// checkExit checks a literal exit status: a number from 0 to 255, or any.
func checkExit(t *engine.Template) error {
	lit, ok := t.Literal()
	if !ok {
		return nil
	}
	_, err := parseExit(lit)
	return err
}

// parseExit reads an exit status: -1 stands for any.
func parseExit(v string) (int, error) {
	v = strings.TrimSpace(v)
	if v == "any" {
		return -1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 255 {
		return 0, fmt.Errorf("exit takes an exit status from 0 to 255, or any; not %q", v)
	}
	return n, nil
}

// describe renders the expect for the default step name.
func (a *expectAction) describe() string {
	switch {
	case a.cfg.Stdout != nil:
		return "stdout " + a.cfg.Stdout.Describe()
	case a.cfg.Stderr != nil:
		return "stderr " + a.cfg.Stderr.Describe()
	}
	return "exit " + a.cfg.Exit.Source()
}

// Do waits for what the step expects.
func (a *expectAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	p, err := engine.TargetAs[*process](s)
	if err != nil {
		return nil, err
	}
	if a.cfg.Exit != nil {
		return a.exit(ctx, s, p)
	}
	out, rd, stream := p.stdout, p.outReader, "stdout"
	e := a.cfg.Stdout
	if a.cfg.Stderr != nil {
		out, rd, stream, e = p.stderr, p.errReader, "stderr", a.cfg.Stderr
	}
	m, err := e.Resolve(s)
	if err != nil {
		return nil, err
	}
	if n := out.takeDropped(); n > 0 {
		s.Note("%s: %d bytes of %s were dropped unread (more than 1 MiB waited)", p.name, n, stream)
	}
	stop := engine.Deadline(ctx, out)
	r, err := m.Read(ctx, rd, nil)
	stop()
	if err != nil {
		return *p.expectResult(nil), p.explain(err, stream)
	}
	return *p.expectResult(&ExpectResult{Data: r.Data, Bytes: r.Bytes, Groups: r.Groups, Named: r.Named}), nil
}

// explain rewords a failed read of a program's stream: a stream ends when
// the program does, which the message says with the end of its stderr.
func (p *process) explain(err error, stream string) error {
	var mm *engine.Mismatch
	if !errors.As(err, &mm) {
		return err
	}
	msg := strings.Replace(mm.Msg, "the peer closed the connection", "the program closed its "+stream, 1)
	msg = strings.Replace(msg, "timed out", stream+": timed out", 1)
	ended := (stream == "stdout" && p.outReader.EOF()) || (stream == "stderr" && p.errReader.EOF())
	if ended {
		// The stream ended: the program is ending, if it has not yet.
		p.awaitEnding()
	}
	// How the program ended matters when that ended the stream, or when
	// it failed.
	if p.hasExited() && (ended || p.exit.code != 0 || p.exit.signal != 0) {
		msg += "\n" + p.endText("")
	}
	return &engine.Mismatch{Msg: msg, Received: mm.Received}
}

// exit waits for the program to end and checks its status.
func (a *expectAction) exit(ctx context.Context, s *engine.Session, p *process) (any, error) {
	v, err := a.cfg.Exit.String(s)
	if err != nil {
		return nil, fmt.Errorf("exit: %w", err)
	}
	want, err := parseExit(v)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	release := p.hold()
	defer release()
	select {
	case <-p.exited:
	case <-ctx.Done():
		return *p.expectResult(nil), &ctxError{msg: fmt.Sprintf("%s has not ended after %s (waiting for its exit status)",
			p.describe(), wire.Waited(start)), err: ctx.Err()}
	}
	// The status can come before the last output is read: let it arrive,
	// so that result.stdout and result.stderr are whole.
	p.settle()
	r := *p.expectResult(nil)
	switch {
	case p.exitErr != nil:
		return r, fmt.Errorf("%s: waiting for it failed: %w", p.describe(), p.exitErr)
	case want < 0:
		return r, nil
	case p.exit.signal != 0 || p.exit.code != want:
		return r, &engine.Mismatch{Msg: fmt.Sprintf("exit status: want %d; %s", want, p.endText(""))}
	}
	return r, nil
}
