package tlsconf

import (
	"fmt"
	"strings"

	"github.com/netrunhq/netrun/engine"
)

// How a connection of a mail, news or file protocol starts TLS.
const (
	// ModeNone is plain text throughout.
	ModeNone = "none"
	// ModeStartTLS upgrades after the greeting (STARTTLS, STLS, AUTH TLS).
	ModeStartTLS = "starttls"
	// ModeImplicit starts TLS at once (smtps, imaps, pop3s, ftps, nntps).
	ModeImplicit = "implicit"
)

// Mode holds the connect options that choose how TLS starts: `starttls:
// true`, or `tls_mode: none | starttls | implicit`, a template, so that an
// environment variable can choose it for a real server while the URL's
// scheme stays literal. Embed it inline in a connect options struct.
type Mode struct {
	// StartTLS upgrades the connection after the greeting.
	StartTLS engine.Template `yaml:"starttls" netrun:"bool"`
	// TLSMode is none, starttls or implicit; it overrides the scheme.
	TLSMode engine.Template `yaml:"tls_mode"`
}

// Check validates literal values at load time; n is the step's options
// node, for positions.
func (m *Mode) Check(d *engine.Decoder) error {
	if v, ok := m.TLSMode.Literal(); ok {
		if _, err := parseMode(v); err != nil {
			return &engine.Error{Pos: m.TLSMode.Pos(), Msg: err.Error()}
		}
		if m.StartTLS.IsSet() {
			return &engine.Error{Pos: m.TLSMode.Pos(), Msg: "give either starttls or tls_mode, not both"}
		}
	}
	return nil
}

// Resolve returns the mode for a connection: tls_mode when given, else
// starttls when true, else implicit for the protocol's TLS scheme (implicit
// is true) and none otherwise.
func (m *Mode) Resolve(s *engine.Session, implicit bool) (string, error) {
	if m.TLSMode.IsSet() {
		v, err := m.TLSMode.String(s)
		if err != nil {
			return "", fmt.Errorf("tls_mode: %w", err)
		}
		if strings.TrimSpace(v) != "" {
			mode, err := parseMode(v)
			if err == nil && implicit && mode == ModeNone {
				return "", fmt.Errorf("tls_mode %q on a URL whose scheme means TLS would send everything, passwords included, in plain text; use the plain scheme for that", v)
			}
			return mode, err
		}
	}
	if m.StartTLS.IsSet() {
		on, err := m.StartTLS.Bool(s)
		if err != nil {
			return "", fmt.Errorf("starttls: %w", err)
		}
		if on {
			if implicit {
				return "", fmt.Errorf("starttls: the connection already starts with TLS")
			}
			return ModeStartTLS, nil
		}
	}
	if implicit {
		return ModeImplicit, nil
	}
	return ModeNone, nil
}

func parseMode(v string) (string, error) {
	switch m := strings.TrimSpace(v); m {
	case ModeNone, ModeStartTLS, ModeImplicit:
		return m, nil
	}
	return "", fmt.Errorf("tls_mode %q: use none, starttls or implicit", v)
}
