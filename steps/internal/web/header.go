package web

import (
	"fmt"
	"strings"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/internal/wire"
	"go.yaml.in/yaml/v4"
)

// CheckHeaderName refuses a header name that is not an HTTP token.
func CheckHeaderName(name string) error {
	if name == "" {
		return fmt.Errorf("a header name is empty")
	}
	for _, r := range name {
		if r > 0x7e || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return fmt.Errorf("%q is not a valid header name", name)
		}
	}
	return nil
}

// CheckHeaders checks the names under the headers key of the mapping m
// (http and ws), each error at its name.
func CheckHeaders(d *engine.Decoder, m *yaml.Node) error {
	h := engine.MapValue(m, "headers")
	if h == nil || h.Kind != yaml.MappingNode {
		return nil
	}
	var errs wire.LoadErrors
	for i := 0; i+1 < len(h.Content); i += 2 {
		if err := CheckHeaderName(h.Content[i].Value); err != nil {
			errs.Add(d.Errorf(h.Content[i], "headers: %s", err))
		}
	}
	return errs.Err()
}
