package engine

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"go.yaml.in/yaml/v4"
)

// Expr is a bare expression of a scenario file (assert, until, if, save),
// compiled at load time. A struct field of type Expr with the tag
// `netrun:"bool"` must yield true or false.
type Expr struct {
	written
	env    *envType
	prog   *vm.Program
	asBool bool
}

type operand struct {
	src  string
	prog *vm.Program
}

// UnmarshalYAML records the expression; it is compiled later, in scope.
func (e *Expr) UnmarshalYAML(n *yaml.Node) error {
	w, err := writtenAt(n, "an expression")
	if err != nil {
		return err
	}
	*e = Expr{written: w}
	return nil
}

// Source returns the expression as written.
func (e *Expr) Source() string { return e.src }

// Pos returns where the expression stands in the file.
func (e *Expr) Pos() Pos { return e.pos }

// IsSet reports whether the expression was given.
func (e *Expr) IsSet() bool { return e != nil && e.prog != nil }

func (e *Expr) compile(c *compiler, env *envType, asBool bool) error {
	if strings.TrimSpace(e.src) == "" {
		return &Error{Pos: e.pos, Msg: "empty expression"}
	}
	if t := strings.TrimSpace(e.src); strings.HasPrefix(t, "{{") {
		msg := "assert, if, until, reject and save take a bare expression, without {{ }}"
		if inner, ok := strings.CutSuffix(strings.TrimPrefix(t, "{{"), "}}"); ok && !strings.Contains(inner, "{{") {
			msg += fmt.Sprintf(": write %s", strings.TrimSpace(inner))
		}
		return &Error{Pos: e.pos, Msg: msg}
	}
	env = c.narrow(env, e.src)
	e.env = env
	prog, err := c.compileExpr(e.src, env, asBool)
	if err != nil {
		col, msg := exprErrorAt(err, e.src, env)
		p := e.pos
		if e.node != nil && !strings.Contains(e.src, "\n") {
			if e.node.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
				p.Col++
			}
			p.Col += len([]rune(e.src[:min(col, len(e.src))]))
		}
		return &Error{Pos: p, Msg: msg}
	}
	e.prog = prog
	e.asBool = asBool
	return nil
}

// Eval runs the expression with result visible as `result`.
func (e *Expr) Eval(s *Session, result any) (any, error) {
	return s.run(e.prog, e.env, result)
}

// Operands evaluates each operand of the expression, for a failure report.
// They are compiled here, when a check has failed, not at load time: most
// checks never fail, and compiling every operand of every check took a
// fifth of the loading time and a third of the memory kept.
func (e *Expr) Operands(s *Session, result any) []Operand {
	if !e.asBool || e.prog == nil {
		return nil
	}
	ops := operands(e.src, e.env)
	out := make([]Operand, 0, len(ops))
	for _, o := range ops {
		v, err := s.run(o.prog, e.env, result)
		val := renderValue(v)
		if err != nil {
			val = "error: " + firstLine(err.Error())
		}
		out = append(out, Operand{Expr: o.src, Value: cutValue(s.redact(val))})
	}
	return out
}

// compiler compiles every expression of one file, with the scope at the
// current step.
type compiler struct {
	file  string
	scope *scope
	cache *loadCache
	// services are the names sandbox() knows (LoadOptions.Services).
	services []string
	// deferred, when set, collects the Exprs that walk meets instead of
	// compiling them (Decoder.Load in a verb table's Decode).
	deferred *[]pendingExpr
	// fields records what expressions read of FieldUser actions' results.
	fields fieldUse
}

// envKey names a built environment: the names and ids it holds, and the
// result type.
type envKey struct {
	sig string
	rt  reflect.Type
}

func newCompiler(file string) *compiler {
	return &compiler{file: file, scope: newScope(), cache: newLoadCache()}
}

// env returns where an expression is compiled: the current scope and the
// result type. The struct type is built by narrow, for each expression.
func (c *compiler) env(rt reflect.Type) *envType {
	return &envType{sc: c.scope, rt: rt}
}

func (c *compiler) compileExpr(src string, env *envType, asBool bool) (*vm.Program, error) {
	k := progKey{src: src, t: env.t, asBool: asBool}
	if p := c.cache.prog(k); p != nil {
		return p, nil
	}
	p, err := compileWith(src, env, asBool, c.services)
	if err == nil {
		c.cache.putProg(k, p)
	}
	return p, err
}

// compileWith compiles src against env; with services, a literal
// sandbox("NAME") outside them is an error.
func compileWith(src string, env *envType, asBool bool, services []string) (*vm.Program, error) {
	opts := []expr.Option{expr.Env(env.zero())}
	if asBool {
		opts = append(opts, expr.AsBool())
	}
	prog, err := expr.Compile(src, opts...)
	if err != nil && strings.HasPrefix(err.Error(), "runtime error:") {
		// expr-lang turns a panic of its own compiler into this error, with
		// a stack trace: say so in words instead.
		return nil, fmt.Errorf("expr-lang could not compile this expression (a bug of its own: %s); write it another way, such as find(list, pred).field for filter(list, pred)[0].field", firstLine(err.Error()))
	}
	if err == nil && services != nil {
		err = checkServices(src, prog.Node(), services)
	}
	return prog, err
}

// checkServices fails on a sandbox("NAME") whose literal NAME is not a
// sandbox service, so that a misspelt service is a load error.
func checkServices(src string, root ast.Node, services []string) error {
	var bad *file.Error
	ast.Find(root, func(n ast.Node) bool {
		call, ok := n.(*ast.CallNode)
		if !ok || len(call.Arguments) != 1 {
			return false
		}
		id, ok := call.Callee.(*ast.IdentifierNode)
		name, lit := call.Arguments[0].(*ast.StringNode)
		if !ok || id.Value != "sandbox" || !lit || slices.Contains(services, name.Value) {
			return false
		}
		msg := fmt.Sprintf("unknown sandbox service %q", name.Value)
		if near := didYouMean(name.Value, services); near != "" {
			msg += near
		} else {
			msg += "; services: " + strings.Join(services, ", ")
		}
		bad = &file.Error{Location: name.Location(), Message: msg}
		bad.Bind(file.NewSource(src))
		return true
	})
	if bad == nil {
		return nil
	}
	return bad
}

// operands lists the sub-expressions of src worth showing when it fails:
// names, members, calls and indexes, each compiled against env.
func operands(src string, env *envType) []operand {
	tree, err := parser.Parse(src)
	if err != nil {
		return nil
	}
	var srcs []string
	seen := map[string]bool{}
	var walk func(n ast.Node)
	add := func(n ast.Node) {
		s := n.String()
		if impure(s) {
			return // evaluating it again would show another value than the one compared
		}
		if !seen[s] {
			seen[s] = true
			srcs = append(srcs, s)
		}
	}
	walk = func(n ast.Node) {
		switch x := n.(type) {
		case *ast.BinaryNode:
			walk(x.Left)
			walk(x.Right)
		case *ast.UnaryNode:
			walk(x.Node)
		case *ast.ConditionalNode:
			walk(x.Cond)
			walk(x.Exp1)
			walk(x.Exp2)
		case *ast.IdentifierNode, *ast.MemberNode, *ast.ChainNode, *ast.SliceNode:
			add(n)
		case *ast.CallNode:
			add(n)
			for _, a := range x.Arguments {
				walk(a)
			}
		case *ast.BuiltinNode:
			add(n)
			for _, a := range x.Arguments {
				walk(a)
			}
		}
	}
	walk(tree.Node)
	out := make([]operand, 0, len(srcs))
	for _, s := range srcs {
		if p, err := compileWith(s, env, false, nil); err == nil {
			out = append(out, operand{src: s, prog: p})
		}
	}
	return out
}

// impure reports whether an expression calls a helper that gives another
// value, or takes another resource, each time it is called.
func impure(src string) bool {
	for _, f := range []string{"uuid(", "now(", "free_port("} {
		if strings.Contains(src, f) {
			return true
		}
	}
	return false
}

var typeInMessage = regexp.MustCompile(`type struct \{[^}]*\}`)

// exprErrorAt extracts the column (0-based) and a clean message from an
// expr compile error.
func exprErrorAt(err error, src string, env *envType) (int, string) {
	msg := err.Error()
	col := 0
	var fe *file.Error
	if errors.As(err, &fe) {
		msg, col = fe.Message, fe.Column
		if fe.Line > 1 {
			col = 0
		}
	}
	switch {
	case strings.HasPrefix(msg, "type struct {") && strings.Contains(msg, "has no field"):
		// Only the steps struct is reached by a member access.
		msg = unknownStep(lastWord(msg), env)
	case strings.HasPrefix(msg, "type ") && strings.Contains(msg, " has no field "):
		msg = unknownField(lastWord(msg), src, env)
	case strings.HasPrefix(msg, "unknown name "):
		msg = unknownName(lastWord(msg), src, env)
	}
	msg = typeInMessage.ReplaceAllString(msg, "the environment")
	return col, firstLine(msg)
}

func lastWord(s string) string { return s[strings.LastIndex(s, " ")+1:] }

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

var (
	templateType = reflect.TypeOf(Template{})
	exprType     = reflect.TypeOf(Expr{})
	valueType    = reflect.TypeOf(Value{})
)
