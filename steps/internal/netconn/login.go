package netconn

import (
	"context"
	"fmt"

	"github.com/netrunhq/netrun/engine"
)

// Login is a connect step of a protocol whose options are Options: it
// logs in with a user name and a password after the greeting.
type Login struct {
	Connect
	Options Options
	// parse reads the protocol's mechanism names.
	parse func(string) (string, error)
}

// DecodeLogin compiles a connect step to a scheme of p whose options are
// Options; parse reads the protocol's auth mechanism names (and returns
// its default for "").
func (p Protocol) DecodeLogin(d *engine.Decoder, parse func(string) (string, error)) (*Login, error) {
	l := &Login{Connect: Connect{Protocol: p}, parse: parse}
	if err := l.Decode(d, &l.Options, func() error { return l.Options.Check(d, p, parse) }); err != nil {
		return nil, err
	}
	return l, nil
}

// Dial evaluates the step (the plan, then the credentials, nil without
// auth) and dials.
func (l *Login) Dial(ctx context.Context, s *engine.Session) (*Dialed, *Credentials, error) {
	plan, err := l.Plan(s, &l.Options.TLSOptions)
	if err != nil {
		return nil, nil, err
	}
	cred, err := l.Options.Auth.Resolve(s, l.parse)
	if err != nil {
		return nil, nil, err
	}
	d, err := plan.Dial(ctx, s)
	if err != nil {
		return nil, nil, err
	}
	return d, cred, nil
}

// Auth is `auth: { user, password, mechanism }`.
type Auth struct {
	User     engine.Template `yaml:"user"`
	Password engine.Template `yaml:"password"`
	// Mechanism names how to log in, in the protocol's words; empty means
	// its default.
	Mechanism engine.Template `yaml:"mechanism"`
}

// Check validates auth at load time: user and password are required, and
// a literal mechanism must be one that parse reads. a may be nil.
func (a *Auth) Check(d *engine.Decoder, parse func(string) (string, error)) error {
	if a == nil {
		return nil
	}
	var errs engine.ErrorList
	if !a.User.IsSet() || !a.Password.IsSet() {
		errs = append(errs, &engine.Error{Pos: d.Pos(d.Options), Msg: "auth needs user and password"})
	}
	if lit, ok := a.Mechanism.Literal(); ok {
		if _, err := parse(lit); err != nil {
			errs = append(errs, &engine.Error{Pos: a.Mechanism.Pos(), Msg: err.Error()})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Credentials are the auth options evaluated.
type Credentials struct {
	User, Password string
	// Mechanism is the mechanism as parse returned it.
	Mechanism string
}

// Resolve evaluates the auth options, with the mechanism read by parse. a
// may be nil (no login): the credentials are then nil too.
func (a *Auth) Resolve(s *engine.Session, parse func(string) (string, error)) (*Credentials, error) {
	if a == nil {
		return nil, nil
	}
	var cred Credentials
	var mech string
	for _, f := range []struct {
		name string
		t    *engine.Template
		dst  *string
	}{{"user", &a.User, &cred.User}, {"password", &a.Password, &cred.Password}, {"mechanism", &a.Mechanism, &mech}} {
		if !f.t.IsSet() {
			continue
		}
		v, err := f.t.String(s)
		if err != nil {
			return nil, fmt.Errorf("auth %s: %w", f.name, err)
		}
		*f.dst = v
	}
	var err error
	if cred.Mechanism, err = parse(mech); err != nil {
		return nil, err
	}
	return &cred, nil
}
