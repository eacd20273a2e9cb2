package smtpd

import "github.com/emersion/go-sasl"

// loginServer is the server side of the LOGIN SASL mechanism
// (draft-murchison-sasl-login), which go-sasl has only a client for: the
// server asks "Username:" and "Password:", unless the client gave the user
// name as initial response.
type loginServer struct {
	auth func(username, password string) error
	step int // 0: nothing received, 1: waiting for the user name, 2: for the password
	user string
}

// Next takes the client's last response and returns the next challenge.
func (l *loginServer) Next(response []byte) (challenge []byte, done bool, err error) {
	switch l.step {
	case 0:
		if response == nil { // no initial response
			l.step = 1
			return []byte("Username:"), false, nil
		}
		l.user, l.step = string(response), 2
		return []byte("Password:"), false, nil
	case 1:
		l.user, l.step = string(response), 2
		return []byte("Password:"), false, nil
	case 2:
		l.step = 3
		return nil, true, l.auth(l.user, string(response))
	}
	return nil, false, sasl.ErrUnexpectedClientResponse
}
