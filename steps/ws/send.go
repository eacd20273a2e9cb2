package ws

import (
	"context"
	"errors"
	"fmt"

	"github.com/coder/websocket"
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// payload is what send sends: a scalar or `{ text }` is a text message;
// `{ hex }`, `{ base64 }` or `{ file }` a binary message, whose bytes are
// read as by tcp's send (package wire).
type payload struct {
	// Text is the text of a text message. Text and Binary are exported so
	// that the loader compiles the templates inside.
	Text engine.Template
	// Binary gives the bytes of a binary message.
	Binary wire.Payload
	binary bool
}

// payloadMap is the mapping form of a payload.
type payloadMap struct {
	Text   engine.Template `yaml:"text"`
	Hex    engine.Template `yaml:"hex"`
	Base64 engine.Template `yaml:"base64"`
	File   engine.Template `yaml:"file"`
}

const payloadForms = "text, hex, base64 or file"

// payloadValue is what send takes: text, or a mapping with one form.
var payloadValue = wire.TextOrMapping{
	Null:  "send needs a value: text for a text message, or a mapping with one of " + payloadForms,
	Other: "send takes text, or a mapping with one of " + payloadForms,
	Forms: engine.OneOf{What: "send", Keys: []string{"text", "hex", "base64", "file"},
		Both: func(a, b string) string {
			return fmt.Sprintf("send has both %s and %s: a message is one of %s", a, b, payloadForms)
		}},
}

// UnmarshalYAML decodes the scalar or the mapping form; the binary forms
// are checked by wire.Payload (hex digits, base64).
func (p *payload) UnmarshalYAML(n *yaml.Node) error {
	*p = payload{}
	var m payloadMap
	if mapping, err := payloadValue.Unmarshal(n, &p.Text, &m); !mapping || err != nil {
		return err
	}
	if m.Text.IsSet() {
		p.Text = m.Text
		return nil
	}
	p.binary = true
	return p.Binary.UnmarshalYAML(n)
}

// SendResult is the result of send.
type SendResult struct {
	// Bytes is the size of the message sent.
	Bytes int `expr:"bytes" json:"bytes"`
	// Type is "text" or "binary".
	Type string `expr:"type" json:"type"`
}

// sendAction sends one message.
type sendAction struct {
	engine.Returns[SendResult]
	payload payload
}

func decodeSend(d *engine.Decoder) (engine.TypedAction, error) {
	a := &sendAction{}
	if engine.IsNull(d.Value) {
		return a, d.Errorf(d.Value, "send needs a value: text for a text message, or a mapping with one of "+payloadForms)
	}
	if err := d.Load(d.Value, &a.payload); err != nil {
		return a, err
	}
	if a.payload.binary {
		d.Name = d.Scheme + " send binary " + a.payload.Binary.Describe()
	} else {
		d.Name = d.Scheme + " send " + shortText(a.payload.Text.Source())
	}
	return a, nil
}

// Do writes the message within the step's deadline. A write that does not
// finish in time leaves the WebSocket closed: the library ends it.
func (a *sendAction) Do(ctx context.Context, s *engine.Session) (any, error) {
	c, err := engine.TargetAs[*conn](s)
	if err != nil {
		return nil, err
	}
	c.stepped(ctx)
	typ, res := websocket.MessageText, SendResult{Type: "text"}
	var data []byte
	if a.payload.binary {
		typ, res.Type = websocket.MessageBinary, "binary"
		if data, err = a.payload.Binary.Bytes(s, ""); err != nil {
			return nil, err
		}
	} else {
		v, err := a.payload.Text.String(s)
		if err != nil {
			return nil, fmt.Errorf("send: %w", err)
		}
		data = []byte(v)
	}
	select {
	case <-c.done:
		_, _, why := c.ended()
		return nil, fmt.Errorf("cannot send: %s", why)
	default:
	}
	s.Sent(data)
	if err := c.wc.Write(ctx, typ, data); err != nil {
		select {
		case <-c.done:
			_, _, why := c.ended()
			return nil, fmt.Errorf("send: %s", why)
		default:
		}
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("send: the message was not written within the step timeout (the peer does not read); the WebSocket is closed: %w", ctx.Err())
		}
		return nil, fmt.Errorf("send: %w", err)
	}
	res.Bytes = len(data)
	return res, nil
}

// shortText quotes a template's source for a step name, cut to 40
// characters.
func shortText(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return fmt.Sprintf("%q…", string(r[:40]))
	}
	return fmt.Sprintf("%q", s)
}
