package program

import (
	"fmt"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// spawnConfig is the value of a spawn step.
type spawnConfig struct {
	Run   command                    `yaml:"run"`
	Env   map[string]engine.Template `yaml:"env"`
	Dir   engine.Template            `yaml:"dir"`
	Stdin stdinConfig                `yaml:"stdin"`
	Ready *readyConfig               `yaml:"ready"`
	// Files are copied, each by its base name, into the fresh folder the
	// program runs in, so that it gets its own copy of its input files.
	Files []engine.Template `yaml:"files"`
}

// command is the program and its arguments: a list of words, or one
// string split like a shell does. A template that gives a list (as the
// whole string, or as one element of the list) is spliced in as words.
type command struct {
	// Line is the string form; Args the list form.
	Line engine.Template
	Args []engine.Template
	node *yaml.Node
}

// UnmarshalYAML takes a string or a non-empty list of strings.
func (c *command) UnmarshalYAML(n *yaml.Node) error {
	c.node = n
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" || n.Value == "" {
			return engine.ErrorAt(n, "run needs the program to start: [python3, server.py] or 'python3 server.py'")
		}
		return c.Line.UnmarshalYAML(n)
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			return engine.ErrorAt(n, "run needs at least the program to start")
		}
		var errs engine.ErrorList
		c.Args = make([]engine.Template, len(n.Content))
		for i, e := range n.Content {
			if err := c.Args[i].UnmarshalYAML(e); err != nil {
				errs = append(errs, engine.ErrorAt(e, "each word of run is a string"))
			}
		}
		if len(errs) > 0 {
			return errs
		}
		return nil
	}
	return engine.ErrorAt(n, "run takes a list of words or a command line")
}

// describe renders the command for a step's default name.
func (c *command) describe() string {
	if c.Line.IsSet() {
		return c.Line.Source()
	}
	var s string
	for i := range c.Args {
		if i > 0 {
			s += " "
		}
		s += c.Args[i].Source()
	}
	return s
}

// words evaluates the command into argv. Each template is evaluated once,
// so that free_port() or uuid() in it gives one value.
func (c *command) words(s *engine.Session) ([]string, error) {
	if c.Line.IsSet() {
		v, err := c.Line.Value(s)
		if err != nil {
			return nil, fmt.Errorf("run: %w", err)
		}
		if line, ok := v.(string); ok {
			w, err := Split(line)
			if err != nil {
				return nil, fmt.Errorf("run %q: %w", line, err)
			}
			return w, nil
		}
		return valueWords(v)
	}
	var argv []string
	for i := range c.Args {
		v, err := c.Args[i].Value(s)
		if err != nil {
			return nil, fmt.Errorf("run: %w", err)
		}
		w, err := valueWords(v)
		if err != nil {
			return nil, err
		}
		argv = append(argv, w...)
	}
	return argv, nil
}

// valueWords turns a value into words: a list gives one word per element
// (expr's split() gives []string), anything else one word.
func valueWords(v any) ([]string, error) {
	switch x := v.(type) {
	case []any:
		return listWords(x)
	case []string:
		return x, nil
	}
	return listWords([]any{v})
}

// listWords turns a list value into words; each must be text or a number.
func listWords(list []any) ([]string, error) {
	out := make([]string, 0, len(list))
	for _, v := range list {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case int, int64, float64, bool:
			out = append(out, fmt.Sprint(x))
		default:
			return nil, fmt.Errorf("run: a word of the command is a %T, not text", v)
		}
	}
	return out, nil
}

// stdinConfig is what the program reads on stdin: text, a file's content
// (`{ file: PATH }`), or a pipe that send steps write to (`{ pipe: true }`).
// Without it, stdin is empty (/dev/null).
type stdinConfig struct {
	Text engine.Template
	File engine.Template
	Pipe bool
}

// UnmarshalYAML takes text, `{ file: PATH }` or `{ pipe: true }`.
func (c *stdinConfig) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		var m struct {
			File engine.Template `yaml:"file"`
			Pipe bool            `yaml:"pipe"`
		}
		if err := engine.Strict(n, &m); err != nil {
			return err
		}
		if m.File.IsSet() == m.Pipe {
			return engine.ErrorAt(n, "stdin takes text, { file: PATH } or { pipe: true }")
		}
		c.File, c.Pipe = m.File, m.Pipe
		return nil
	}
	return c.Text.UnmarshalYAML(n)
}

// readyConfig says when a spawned program is ready: exactly one of TCP,
// UDP, Stdout and After. Send and Expect go with UDP.
type readyConfig struct {
	TCP    engine.Template `yaml:"tcp"`
	UDP    engine.Template `yaml:"udp"`
	Send   *wire.Payload   `yaml:"send"`
	Expect *wire.Expect    `yaml:"expect"`
	Stdout engine.Template `yaml:"stdout" netrun:"regexp"`
	After  engine.Template `yaml:"after" netrun:"duration"`
}

// readyKeys: a program is ready by one sign.
var readyKeys = engine.OneOf{Keys: []string{"tcp", "udp", "stdout", "after"}, None: "ready takes one of tcp, udp, stdout or after",
	Both: func(a, b string) string {
		return fmt.Sprintf("ready takes one of tcp, udp, stdout or after, not both %s and %s", a, b)
	}}

// check reports keys that do not go together.
func (r *readyConfig) check(d *engine.Decoder, n *yaml.Node) error {
	errs := wire.LoadErrors{At: d.Pos(n)}
	_, err := readyKeys.Check(n)
	errs.Add(err)
	for _, k := range []string{"send", "expect"} {
		if key := engine.MapKey(n, k); key != nil && !r.UDP.IsSet() {
			errs.Add(d.Errorf(key, "%s goes with ready: { udp: ADDR }: the probe sent to a UDP server", k))
		}
	}
	if key := engine.MapKey(n, "expect"); key != nil && r.UDP.IsSet() {
		if r.Send == nil {
			errs.Add(d.Errorf(key, "expect needs send: the probe whose answer it checks"))
		} else if err := wire.CheckDatagram(engine.MapValue(n, "expect"), "ready udp"); err != nil {
			errs.Add(err)
		}
	}
	return errs.Err()
}
