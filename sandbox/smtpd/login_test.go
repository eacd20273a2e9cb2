package smtpd

import (
	"errors"
	"testing"
)

func TestLoginServer(t *testing.T) {
	errBad := errors.New("bad")
	auth := func(u, p string) error {
		if u == "alice" && p == "secret" {
			return nil
		}
		return errBad
	}
	type step struct {
		resp      []byte
		challenge string
		done      bool
		err       error
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"asks for both", []step{{nil, "Username:", false, nil}, {[]byte("alice"), "Password:", false, nil}, {[]byte("secret"), "", true, nil}}},
		{"initial response", []step{{[]byte("alice"), "Password:", false, nil}, {[]byte("secret"), "", true, nil}}},
		{"wrong password", []step{{[]byte("alice"), "Password:", false, nil}, {[]byte("nope"), "", true, errBad}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &loginServer{auth: auth}
			for i, st := range tt.steps {
				c, done, err := l.Next(st.resp)
				if string(c) != st.challenge || done != st.done || !errors.Is(err, st.err) {
					t.Fatalf("step %d: %q %v %v, want %q %v %v", i, c, done, err, st.challenge, st.done, st.err)
				}
			}
			if _, _, err := l.Next([]byte("more")); err == nil {
				t.Fatal("a response after the end was taken")
			}
		})
	}
}
