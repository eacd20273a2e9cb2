package wire

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/bytesize"
	"go.yaml.in/yaml/v4"
)

// maxPayloadFile bounds what `send: { file }` reads.
const maxPayloadFile = 16 << 20

// Payload is what send sends. In YAML it is a scalar, sent as is with no
// newline added, or a mapping with exactly one of:
//
//	line: TEXT        TEXT and the line ending (line_ending beside it, else
//	                  the connection's, else CRLF)
//	hex: "de ad be ef"   bytes in hex; spaces and newlines are ignored
//	base64: 3q2+7w==     bytes in standard base64, padding optional
//	file: data.bin       the bytes of a file, relative to the scenario
//
// Every value is a template.
type Payload struct {
	// Text is the scalar form, sent as is.
	Text engine.Template
	// Line is sent with LineEnding, or the connection's line ending.
	Line       engine.Template
	LineEnding engine.Template
	// Hex, Base64 and File give the bytes in those forms.
	Hex    engine.Template
	Base64 engine.Template
	File   engine.Template
}

// TextOrMapping is the value of a step that takes text, or a mapping
// with one of several forms (send of tcp, udp and ws).
type TextOrMapping struct {
	// Null is the error for no value; Other for a value that is neither
	// text nor a mapping.
	Null, Other string
	// Forms are the keys of which the mapping has one.
	Forms engine.OneOf
}

// Unmarshal decodes n: a scalar into text, a mapping strictly into m. It
// reports whether m was decoded, and then also checks Forms: the caller
// goes on checking m, and returns the error of Forms with its own. When
// m was not decoded, the error is the whole answer.
func (f TextOrMapping) Unmarshal(n *yaml.Node, text *engine.Template, m any) (bool, error) {
	switch {
	case engine.IsNull(n):
		return false, engine.ErrorAt(n, "%s", f.Null)
	case n.Kind == yaml.ScalarNode:
		return false, text.UnmarshalYAML(n)
	case n.Kind != yaml.MappingNode:
		return false, engine.ErrorAt(n, "%s", f.Other)
	}
	if err := engine.Strict(n, m); err != nil {
		return false, err
	}
	_, err := f.Forms.Check(n)
	return true, err
}

// payloadMap is the mapping form of a payload.
type payloadMap struct {
	Line       engine.Template `yaml:"line"`
	LineEnding engine.Template `yaml:"line_ending"`
	Hex        engine.Template `yaml:"hex"`
	Base64     engine.Template `yaml:"base64"`
	File       engine.Template `yaml:"file"`
}

// payloadForms are the keys of which a payload mapping has exactly one.
const payloadForms = "line, hex, base64 or file"

// payloadValue is what send takes: text, or a mapping with one form.
var payloadValue = TextOrMapping{
	Null:  "send needs a value: text to send as is, or a mapping with one of " + payloadForms,
	Other: "send takes text or a mapping with one of " + payloadForms,
	Forms: engine.OneOf{What: "send", Keys: []string{"line", "hex", "base64", "file"},
		None: "send needs one of " + payloadForms + " (or plain text instead of a mapping)"},
}

// UnmarshalYAML decodes the scalar or the mapping form, and checks that a
// mapping has exactly one form and that literal hex, base64 and
// line_ending values are valid.
func (p *Payload) UnmarshalYAML(n *yaml.Node) error {
	*p = Payload{}
	var m payloadMap
	mapping, err := payloadValue.Unmarshal(n, &p.Text, &m)
	if !mapping {
		return err
	}
	*p = Payload{Line: m.Line, LineEnding: m.LineEnding, Hex: m.Hex, Base64: m.Base64, File: m.File}
	var errs LoadErrors
	errs.Add(err)
	if key := engine.MapKey(n, "line_ending"); key != nil && !m.Line.IsSet() {
		errs.Add(engine.ErrorAt(key, "line_ending goes with line"))
	}
	for _, c := range []struct {
		key   string
		check func(string) error
	}{
		{"line_ending", func(v string) error { _, err := ParseLineEnding(v); return err }},
		{"hex", func(v string) error { _, err := decodeHex(v); return err }},
		{"base64", func(v string) error { _, err := decodeBase64(v); return err }},
	} {
		if v, ok := literal(n, c.key); ok {
			if err := c.check(v.Value); err != nil {
				errs.Add(engine.ErrorAt(v, "%s", err))
			}
		}
	}
	return errs.Err()
}

// Bytes evaluates the payload. lineEnding is the connection's line ending
// ("" means CRLF); a line_ending beside line overrides it.
func (p *Payload) Bytes(s *engine.Session, lineEnding string) ([]byte, error) {
	switch {
	case p.Line.IsSet():
		v, err := p.Line.String(s)
		if err != nil {
			return nil, fmt.Errorf("send line: %w", err)
		}
		if lineEnding == "" {
			lineEnding = DefaultLineEnding
		}
		end, err := EvalLineEnding(s, &p.LineEnding, lineEnding)
		if err != nil {
			return nil, fmt.Errorf("send: %w", err)
		}
		return append(append(make([]byte, 0, len(v)+len(end)), v...), end...), nil
	case p.Hex.IsSet():
		v, err := p.Hex.String(s)
		if err != nil {
			return nil, fmt.Errorf("send hex: %w", err)
		}
		return decodeHex(v)
	case p.Base64.IsSet():
		v, err := p.Base64.String(s)
		if err != nil {
			return nil, fmt.Errorf("send base64: %w", err)
		}
		return decodeBase64(v)
	case p.File.IsSet():
		v, err := p.File.String(s)
		if err != nil {
			return nil, fmt.Errorf("send file: %w", err)
		}
		return readFile(s.Path(v))
	}
	v, err := p.Text.String(s)
	if err != nil {
		return nil, fmt.Errorf("send: %w", err)
	}
	return []byte(v), nil
}

// Describe renders the payload for a step's default name, such as
// `"hello\r\n"` or `line "hello"`.
func (p *Payload) Describe() string {
	switch {
	case p.Line.IsSet():
		return "line " + Short(p.Line.Source())
	case p.Hex.IsSet():
		return "hex " + Short(p.Hex.Source())
	case p.Base64.IsSet():
		return "base64 " + Short(p.Base64.Source())
	case p.File.IsSet():
		return "file " + Short(p.File.Source())
	}
	return Short(p.Text.Source())
}

// decodeHex reads hex digits; whitespace between them is ignored. Its
// errors never quote v, which may hold a secret that a cut quote would
// show in part: the step and its position say where it is.
func decodeHex(v string) ([]byte, error) {
	clean := strings.Join(strings.Fields(v), "")
	for _, r := range clean {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return nil, fmt.Errorf("hex: %q is not a hex digit", r)
		}
	}
	if len(clean)%2 == 1 {
		return nil, fmt.Errorf("hex: an odd number of digits (%d)", len(clean))
	}
	b, err := hex.DecodeString(clean)
	if err != nil {
		return nil, fmt.Errorf("hex: %w", err)
	}
	return b, nil
}

// decodeBase64 reads standard base64; whitespace is ignored and padding is
// optional.
func decodeBase64(v string) ([]byte, error) {
	clean := strings.Join(strings.Fields(v), "")
	b, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		var err2 error
		if b, err2 = base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "=")); err2 != nil {
			return nil, fmt.Errorf("base64: %w", err)
		}
	}
	return b, nil
}

// readFile reads a payload file, refusing files over maxPayloadFile.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("send file: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxPayloadFile+1))
	if err != nil {
		return nil, fmt.Errorf("send file %s: %w", path, err)
	}
	if len(b) > maxPayloadFile {
		return nil, fmt.Errorf("send file %s: larger than %s", path, bytesize.Format(maxPayloadFile))
	}
	return b, nil
}

// Short quotes s for a step name or a message, cut to 40 characters.
func Short(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return strconv.Quote(string(r[:40])) + "…"
	}
	return strconv.Quote(s)
}

// literal returns the value node of key in m when it is a scalar without
// {{ }}, which can be checked at load time.
func literal(m *yaml.Node, key string) (*yaml.Node, bool) {
	v := engine.MapValue(m, key)
	if v == nil {
		return nil, false
	}
	return v, v.Kind == yaml.ScalarNode && !strings.Contains(v.Value, "{{")
}
