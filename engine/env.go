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
// Scopes grow along the file, each from the latest one, so they share one
// append-only log and each sees a prefix of it: binding a name costs O(1),
// not a copy of every name before it (a file of 100,000 steps with ids).
type scope struct {
	log  *scopeLog
	n, m int // how many names and ids of log this scope sees
}

// scopeLog is every name and id bound so far, in order.
type scopeLog struct {
	names  []string
	nameAt map[string]int
	ids    []string
	types  []reflect.Type // result type of each id
	idAt   map[string]int
}

func newScope() *scope {
	return &scope{log: &scopeLog{nameAt: map[string]int{}, idAt: map[string]int{}}}
}

// names are the names the scope sees, in the order they were bound.
func (s *scope) names() []string { return s.log.names[:s.n] }

// ids are the step ids the scope sees, in order.
func (s *scope) ids() []string { return s.log.ids[:s.m] }

// has reports whether name is already bound.
func (s *scope) has(name string) bool {
	i, ok := s.log.nameAt[name]
	return ok && i < s.n
}

// idType returns the result type of step id, when the scope sees it.
func (s *scope) idType(id string) (reflect.Type, bool) {
	i, ok := s.log.idAt[id]
	if !ok || i >= s.m {
		return nil, false
	}
	return s.log.types[i], true
}

// latest returns s itself when it sees all of its log, else a copy of s
// with a log of its own (a scope extended twice, which the loader does not
// do), so that extending it never changes what another scope sees.
func (s *scope) latest() *scope {
	if s.n == len(s.log.names) && s.m == len(s.log.ids) {
		return s
	}
	c := newScope()
	for _, n := range s.names() {
		c = c.with(n)
	}
	for i, id := range s.ids() {
		c = c.withID(id, s.log.types[i])
	}
	return c
}

// with returns a scope that also sees name; s itself is unchanged.
func (s *scope) with(name string) *scope {
	s = s.latest()
	l := s.log
	if _, seen := l.nameAt[name]; !seen {
		l.nameAt[name] = len(l.names)
	}
	l.names = append(l.names, name)
	return &scope{log: l, n: s.n + 1, m: s.m}
}

// withID returns a scope that also sees step id with result type t.
func (s *scope) withID(id string, t reflect.Type) *scope {
	s = s.latest()
	l := s.log
	if _, seen := l.idAt[id]; !seen {
		l.idAt[id] = len(l.ids)
	}
	l.ids = append(l.ids, id)
	l.types = append(l.types, t)
	return &scope{log: l, n: s.n, m: s.m + 1}
}

// envType is the struct type expressions are compiled against and run with.
// Its fields are the helper functions, then each name, then steps, then
// result. An expression is compiled against the names and ids it uses only
// (compiler.narrow): a struct of every name of a large file for each
// expression would make loading quadratic. sc is the whole scope, for
// suggestions.
type envType struct {
	sc     *scope
	rt     reflect.Type
	t      reflect.Type
	names  []string
	ids    []string
	steps  reflect.Type
	result bool
}

// nFuncs is how many helper functions the environment holds, first.
var nFuncs = funcsType.NumField()

// newEnvType builds the environment type for names and ids (their result
// types), with result typed as rt (nil: no result is visible).
func newEnvType(names, ids []string, types []reflect.Type, rt reflect.Type) *envType {
	var fields []reflect.StructField
	for i := 0; i < funcsType.NumField(); i++ {
		f := funcsType.Field(i)
		fields = append(fields, reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag})
	}
	for i, n := range names {
		fields = append(fields, reflect.StructField{
			Name: "V" + strconv.Itoa(i), Type: anyType, Tag: reflect.StructTag(`expr:"` + n + `"`),
		})
	}
	var sf []reflect.StructField
	for i, id := range ids {
		sf = append(sf, reflect.StructField{
			Name: "S" + strconv.Itoa(i), Type: types[i], Tag: reflect.StructTag(`expr:"` + id + `"`),
		})
	}
	steps := reflect.StructOf(sf)
	fields = append(fields, reflect.StructField{Name: "Steps", Type: steps, Tag: `expr:"steps"`})
	if rt != nil {
		fields = append(fields, reflect.StructField{Name: "Result", Type: rt, Tag: `expr:"result"`})
	}
	return &envType{t: reflect.StructOf(fields), names: names, ids: ids, steps: steps, result: rt != nil}
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
