package engine

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr/builtin"
)

// funcs are the helper functions every expression can call. Their values are
// bound per scenario run; at load time only their types matter.
type funcs struct {
	Env      func(string) any             `expr:"env"`
	Sandbox  func(string) (string, error) `expr:"sandbox"`
	UUID     func() string                `expr:"uuid"`
	Now      func() time.Time             `expr:"now"`
	File     func(string) (string, error) `expr:"file"`
	SHA256   func(any) (string, error)    `expr:"sha256"`
	Base64   func(any) (string, error)    `expr:"base64"`
	FreePort func() (int, error)          `expr:"free_port"`
}

var (
	funcsType = reflect.TypeOf(funcs{})
	anyType   = reflect.TypeOf((*any)(nil)).Elem()
)

// reservedName reports whether name cannot be used for a var, secret or save.
func reservedName(name string) bool {
	if name == "result" || name == "steps" {
		return true
	}
	for i := 0; i < funcsType.NumField(); i++ {
		if funcsType.Field(i).Tag.Get("expr") == name {
			return true
		}
	}
	for _, b := range builtin.Names {
		if b == name {
			return true
		}
	}
	switch name {
	case "true", "false", "nil", "not", "and", "or", "in", "matches", "contains",
		"startsWith", "endsWith", "let", "if", "else":
		return true
	}
	return false
}

// validName reports whether name is an identifier expressions can use.
func validName(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// scope is what expressions can see at one place in a file: names of vars,
// secrets and saved values (typed any), and earlier step results by id.
type scope struct {
	names []string
	ids   []string
	types []reflect.Type // result type of each id
}

// has reports whether name is already bound.
func (s *scope) has(name string) bool {
	for _, n := range s.names {
		if n == name {
			return true
		}
	}
	return false
}

// with returns a copy of s with name bound; s itself is unchanged.
func (s *scope) with(name string) *scope {
	c := *s
	c.names = append(s.names[:len(s.names):len(s.names)], name)
	return &c
}

// withID returns a copy of s with step id bound to result type t.
func (s *scope) withID(id string, t reflect.Type) *scope {
	c := *s
	c.ids = append(s.ids[:len(s.ids):len(s.ids)], id)
	c.types = append(s.types[:len(s.types):len(s.types)], t)
	return &c
}

// envType is the struct type expressions are compiled against and run with.
// Its fields are the helper functions, then each name, then steps, then
// result.
type envType struct {
	t      reflect.Type
	names  []string
	ids    []string
	steps  reflect.Type
	result bool
}

// nFuncs is how many helper functions the environment holds, first.
var nFuncs = funcsType.NumField()

// newEnvType builds the environment type for sc, with result typed as rt
// (nil: no result is visible).
func newEnvType(sc *scope, rt reflect.Type) *envType {
	var fields []reflect.StructField
	for i := 0; i < funcsType.NumField(); i++ {
		f := funcsType.Field(i)
		fields = append(fields, reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag})
	}
	for i, n := range sc.names {
		fields = append(fields, reflect.StructField{
			Name: "V" + strconv.Itoa(i), Type: anyType, Tag: reflect.StructTag(`expr:"` + n + `"`),
		})
	}
	var sf []reflect.StructField
	for i, id := range sc.ids {
		sf = append(sf, reflect.StructField{
			Name: "S" + strconv.Itoa(i), Type: sc.types[i], Tag: reflect.StructTag(`expr:"` + id + `"`),
		})
	}
	steps := reflect.StructOf(sf)
	fields = append(fields, reflect.StructField{Name: "Steps", Type: steps, Tag: `expr:"steps"`})
	if rt != nil {
		fields = append(fields, reflect.StructField{Name: "Result", Type: rt, Tag: `expr:"result"`})
	}
	return &envType{t: reflect.StructOf(fields), names: sc.names, ids: sc.ids, steps: steps, result: rt != nil}
}

// zero returns the zero environment, for compiling.
func (e *envType) zero() any { return reflect.Zero(e.t).Interface() }

// value builds the environment of values for one evaluation.
func (e *envType) value(v *values, result any) any {
	env := reflect.New(e.t).Elem()
	fv := reflect.ValueOf(v.funcs)
	for i := 0; i < nFuncs; i++ {
		env.Field(i).Set(fv.Field(i))
	}
	for i, n := range e.names {
		if x, ok := v.vars[n]; ok && x != nil {
			env.Field(nFuncs + i).Set(reflect.ValueOf(x))
		}
	}
	steps := env.Field(nFuncs + len(e.names))
	for i, id := range e.ids {
		if x, ok := v.steps[id]; ok && x != nil {
			xv := reflect.ValueOf(x)
			if xv.Type().AssignableTo(steps.Type().Field(i).Type) {
				steps.Field(i).Set(xv)
			}
		}
	}
	if e.result && result != nil {
		rv := reflect.ValueOf(result)
		f := env.Field(env.NumField() - 1)
		if rv.Type().AssignableTo(f.Type()) {
			f.Set(rv)
		}
	}
	return env.Interface()
}

// values are the run-time values behind an environment.
type values struct {
	funcs funcs
	vars  map[string]any
	steps map[string]any
}

// bytesOf turns a string or bytes value into bytes for the hash helpers.
func bytesOf(x any) ([]byte, error) {
	switch v := x.(type) {
	case string:
		return []byte(v), nil
	case []byte:
		return v, nil
	case nil:
		return nil, fmt.Errorf("got nil, want a string")
	}
	return []byte(fmt.Sprint(x)), nil
}

func sha256Hex(x any) (string, error) {
	b, err := bytesOf(x)
	if err != nil {
		return "", fmt.Errorf("sha256: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

func base64Std(x any) (string, error) {
	b, err := bytesOf(x)
	if err != nil {
		return "", fmt.Errorf("base64: %w", err)
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// FormatValue renders an expression value for a person: strings quoted,
// times in RFC 3339, long values cut.
func FormatValue(v any) string { return cutValue(renderValue(v)) }

// renderValue renders v whole; cutValue cuts it for showing. Redaction
// goes between the two, so that a cut never splits a secret.
func renderValue(v any) string {
	var s string
	switch x := v.(type) {
	case nil:
		return "nil"
	case string:
		s = strconv.Quote(x)
	case []byte:
		s = Quote(x, 200)
	case time.Time:
		s = x.Format(time.RFC3339Nano)
	case time.Duration:
		s = x.String()
	case bool, int, int64, float64, uint, int32, float32:
		s = fmt.Sprint(x)
	default:
		if b, err := json.Marshal(v); err == nil {
			s = string(b)
		} else {
			s = fmt.Sprintf("%+v", v)
		}
	}
	return s
}

func cutValue(s string) string {
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "") + "…"
	}
	return s
}
