// Package bytesize reads and writes the sizes of plugins' options (max_buffer,
// max_size, max_body, ...): 4096, 64KiB, 1MiB, 10KB, between 1 byte and
// 1 GiB, checked at load time when literal; and sizes in messages for a
// person: "1 MiB", "300 bytes".
package bytesize

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/netrunhq/netrun/engine"
)

// maxSize is the largest size accepted: 1 GiB.
const maxSize = 1 << 30

// units are the units Parse takes, as its error lists them.
const units = "B; KiB, MiB, GiB or K, M, G (1024s); KB, MB, GB (1000s)"

// Parse reads a size such as 4096, 64KiB, 1MiB, 10KB or 2MB: a number of
// bytes, or a number with a unit (see units; case and a space before the
// unit do not matter). It must be between 1 byte and 1 GiB.
func Parse(v string) (int, error) {
	s := strings.ToLower(strings.TrimSpace(v))
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	num, unit := s[:i], strings.TrimSpace(s[i:])
	mult := 0
	switch unit {
	case "", "b":
		mult = 1
	case "k", "kib":
		mult = 1 << 10
	case "m", "mib":
		mult = 1 << 20
	case "g", "gib":
		mult = 1 << 30
	case "kb":
		mult = 1000
	case "mb":
		mult = 1000 * 1000
	case "gb":
		mult = 1000 * 1000 * 1000
	}
	n, err := strconv.Atoi(num)
	if num == "" || mult == 0 || err != nil {
		return 0, fmt.Errorf("%q is not a size: use a number of bytes, or a number with a unit: "+units, v)
	}
	if n <= 0 || n > maxSize/mult {
		return 0, fmt.Errorf("size %q must be between 1 byte and 1 GiB", v)
	}
	return n * mult, nil
}

// Check checks a size option such as max_size at load time, when its
// value is literal; key names the option in the error, which is placed at
// the value.
func Check(t *engine.Template, key string) error {
	if lit, ok := t.Literal(); ok {
		if _, err := Parse(lit); err != nil {
			return &engine.Error{Pos: t.Pos(), Msg: key + ": " + err.Error()}
		}
	}
	return nil
}

// Eval evaluates a size option (see Parse), or returns def when it
// is not set; key names the option in errors.
func Eval(s *engine.Session, t *engine.Template, key string, def int) (int, error) {
	if !t.IsSet() {
		return def, nil
	}
	v, err := t.String(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", key, err)
	}
	n, err := Parse(v)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", key, err)
	}
	return n, nil
}

// Format writes n bytes for a person: "1 MiB", "64 KiB", "300 bytes".
func Format(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	case n == 1:
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}
