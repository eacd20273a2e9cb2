package engine

import (
	"errors"
	"fmt"
	"net"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v4"
)

// programScheme is the scheme under which the spawn plugin registers.
const programScheme = "program"

// action compiles the action of st and tracks what it opens and acts on.
// It returns the action, its result type and a default name.
func (l *loader) action(st *Step, ck *commonKeys, key, val *yaml.Node, options *yaml.Node) (Action, reflect.Type, string) {
	spec := verbSpecs[st.Verb]
	options = l.stepOptions(spec, options)
	if !l.checkAsOn(st, spec, ck, key) {
		return nil, nil, ""
	}
	if spec.compile != nil {
		return spec.compile(l, st, ck, val)
	}
	if spec.block {
		return parallelStep(l, st, ck, val)
	}
	scheme, ok := spec.scheme(l, st, ck, key, val)
	if !ok {
		return nil, nil, ""
	}
	st.Scheme = scheme
	if !l.hasPlugin(scheme, key, val) {
		return nil, nil, ""
	}
	if spec.opens {
		// Track what the step opens even when it has errors, so that later
		// steps are checked against it rather than failing in cascade.
		st.opens = ck.As
		if st.opens == "" {
			st.opens = fmt.Sprintf("#%d", st.Index)
		}
		st.openScheme = scheme
		l.opened(openEntry{st.opens, scheme})
	}
	d := &Decoder{Verb: st.Verb, Scheme: scheme, Value: val, Options: options, c: l.c, pos: l.pos(key)}
	a, rt, err := l.reg.decode(d)
	if err != nil {
		l.add(withoutSecondIPv6(suggestCommon(err, options), l.pos(val), l.pos(key), st.Verb), key)
		// The result type, when known, still checks the step's asserts
		// and saves.
		return nil, rt, ""
	}
	name := d.Name
	if name == "" {
		name = strings.TrimSpace(scheme + " " + st.Verb + " " + shortSource(val))
	}
	return a, rt, name
}

// stepOptions returns the step's options for a verb that takes them (nil
// when there are none), and reports them as unknown keys for another.
func (l *loader) stepOptions(spec verbSpec, options *yaml.Node) *yaml.Node {
	if !spec.options {
		for i := 0; i < len(options.Content); i += 2 {
			k := options.Content[i]
			l.errorf(k, "%s", unknownKey(k.Value, append(keysOf(commonFields), verbs...)))
		}
		return nil
	}
	if len(options.Content) == 0 {
		return nil
	}
	return options
}

// checkAsOn checks as: and on: against the verb. It reports false when
// on: cannot name a connection, which leaves nothing to compile.
func (l *loader) checkAsOn(st *Step, spec verbSpec, ck *commonKeys, key *yaml.Node) bool {
	if ck.As != "" && !spec.opens {
		l.errorf(key, "as names what a step opens; a %s step opens nothing", st.Verb)
	}
	if ck.As != "" && !validName(ck.As) {
		l.errorf(key, "as %q must be a letter or _ followed by letters, digits or _", ck.As)
	}
	if ck.On != "" && !validName(ck.On) {
		l.errorf(key, "on %q must name a connection opened with as:", ck.On)
		return false
	}
	if ck.On != "" && spec.noTarget {
		l.errorf(key, "on chooses a connection; a %s step does not act on one", st.Verb)
	}
	return true
}

// hasPlugin reports whether a plugin serves scheme, or reports that none
// does.
func (l *loader) hasPlugin(scheme string, key, val *yaml.Node) bool {
	switch _, ok := l.reg.Plugin(scheme); {
	case ok:
		return true
	case scheme == programScheme:
		l.errorf(key, "spawn is not available in this build")
	default:
		if near := didYouMean(scheme, l.reg.Schemes()); near != "" {
			l.errorf(val, "unknown scheme %q%s", scheme, near)
		} else {
			l.errorf(val, "unknown scheme %q; known: %s", scheme, strings.Join(l.reg.Schemes(), ", "))
		}
	}
	return false
}

// scheme extracts the literal scheme of a connect or listen URL.
func (l *loader) scheme(val *yaml.Node) string {
	if val == nil || val.Kind != yaml.ScalarNode {
		l.errorf(val, "expected a URL such as tcp://host:port")
		return ""
	}
	i := strings.Index(val.Value, "://")
	if i <= 0 || strings.Contains(val.Value[:i], "{{") {
		l.errorf(val, "expected a URL with a literal scheme, such as tcp://{{ host }}:7, not %q", val.Value)
		return ""
	}
	scheme := val.Value[:i]
	if scheme != strings.ToLower(scheme) {
		l.errorf(val, "write the scheme in lower case: %s://", strings.ToLower(scheme))
		return ""
	}
	if host, ok := unbracketedIPv6(val.Value[i+3:]); ok {
		l.errorf(val, "an IPv6 address in a URL goes in brackets: %s://[%s]:PORT, not %q", scheme, host, val.Value)
	}
	return scheme
}

// target resolves the connection a step acts on: `on:` or the most recent.
func (l *loader) target(on string, at *yaml.Node) (openEntry, bool) {
	if on == "" {
		if len(l.open) == 0 {
			l.errorf(at, "no connection is open here: add a connect, listen or spawn step before this one")
			return openEntry{}, false
		}
		return l.open[len(l.open)-1], true
	}
	for i := len(l.open) - 1; i >= 0; i-- {
		if l.open[i].name == on {
			return l.open[i], true
		}
	}
	var names []string
	for _, o := range l.open {
		if !strings.HasPrefix(o.name, "#") {
			names = append(names, o.name)
		}
	}
	msg := fmt.Sprintf("no connection named %q is open here", on)
	if s := suggest(on, names); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	l.errorf(at, "%s", msg)
	return openEntry{}, false
}

// opened records e as the most recent open connection.
func (l *loader) opened(e openEntry) {
	l.forget(e.name)
	l.open = append(l.open, e)
}

func (l *loader) forget(name string) {
	for i, o := range l.open {
		if o.name == name {
			l.open = append(l.open[:i], l.open[i+1:]...)
			return
		}
	}
}

// suggestCommon rewords a plugin's "unknown key" error for a step option
// that is a misspelt common key or action.
func suggestCommon(err error, options *yaml.Node) error {
	var list ErrorList
	if !errors.As(err, &list) || options == nil {
		return err
	}
	known := append(keysOf(commonFields), verbs...)
	for _, e := range list {
		for i := 0; i < len(options.Content); i += 2 {
			k := options.Content[i]
			if e.Pos.Line == k.Line && e.Pos.Col == k.Column && strings.HasPrefix(e.Msg, "unknown key") && suggest(k.Value, known) != "" {
				e.Msg = unknownKey(k.Value, known)
			}
		}
	}
	return list
}

// unbracketedIPv6 reports whether the authority at the start of rest (the
// URL after "://") is an IPv6 address, with or without a port, written
// without brackets, as in tcp://::1:7, which a dialler would read as host
// "::1" and port 7, or fail on. It returns the host part.
func unbracketedIPv6(rest string) (string, bool) {
	auth := rest
	if i := strings.IndexAny(auth, "/?#"); i >= 0 {
		auth = auth[:i]
	}
	if i := strings.LastIndexByte(auth, '@'); i >= 0 {
		auth = auth[i+1:]
	}
	if strings.HasPrefix(auth, "[") || strings.Contains(auth, "{{") || strings.Count(auth, ":") < 2 {
		return "", false
	}
	isIP := func(h string) bool {
		h, _, _ = strings.Cut(h, "%") // a zone: fe80::1%eth0
		return net.ParseIP(h) != nil
	}
	host := auth
	if i := strings.LastIndexByte(auth, ':'); i >= 0 && isDigits(auth[i+1:]) && isIP(auth[:i]) {
		host = auth[:i]
	}
	return host, isIP(host)
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// withoutSecondIPv6 drops a plugin's own complaint about an IPv6 address
// without brackets in the URL at pos, which the loader has reported
// already (scheme), with the form to write.
func withoutSecondIPv6(err error, pos, fallback Pos, verb string) error {
	if verb != "connect" && verb != "listen" {
		return err
	}
	list := errorsFrom(err, fallback)
	out := ErrorList{}
	for _, e := range list {
		if e.Pos.Line == pos.Line && e.Pos.Col == pos.Col && strings.Contains(e.Msg, "IPv6 address goes in brackets") {
			continue
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
