package engine

import "go.yaml.in/yaml/v4"

// written is a scalar of a scenario file that the engine compiles (a
// Template, an Expr): its text as written and where it stands.
type written struct {
	src  string
	pos  Pos
	node *yaml.Node
}

// writtenAt records the scalar n; a node of another kind is an error at
// n: "expected WHAT, got a mapping".
func writtenAt(n *yaml.Node, what string) (written, error) {
	pos := Pos{Line: n.Line, Col: n.Column}
	if n.Kind != yaml.ScalarNode {
		return written{}, &Error{Pos: pos, Msg: "expected " + what + ", got " + kindName(n)}
	}
	return written{src: n.Value, pos: pos, node: n}, nil
}
