package httpstep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/netrunhq/netrun/engine"
)

// encodeJSON evaluates the json of a send (an engine.Value: any YAML
// value whose strings are templates) and writes it as JSON.
func encodeJSON(s *engine.Session, v *engine.Value) ([]byte, error) {
	x, err := v.Eval(s)
	if err != nil {
		return nil, fmt.Errorf("json: %w", err)
	}
	b, err := json.Marshal(x)
	if err != nil {
		return nil, fmt.Errorf("json: %w", err)
	}
	return b, nil
}

// parseJSON reads a body that holds one JSON value, with whole numbers as
// int (when they fit) and other numbers as float64.
func parseJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the body is empty")
		}
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("data after the JSON value at offset %d", dec.InputOffset())
	}
	return numbers(v), nil
}

// numbers turns the json.Number values inside v into int or float64.
func numbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil && n >= math.MinInt && n <= math.MaxInt {
			return int(n)
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = numbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = numbers(x[k])
		}
	}
	return v
}
