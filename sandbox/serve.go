package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
)

// Line is one line that Serve writes, as JSON.
type Line struct {
	// Service is "ca" or a name from Services().
	Service string `json:"service"`
	// Address is "host:port", or for "ca" the CA certificate file's path.
	Address string `json:"address"`
}

// Serve is what `netrun sandbox` runs in the foreground. It starts a sandbox
// configured by opts and writes one JSON object per line to w as each part is
// ready. The first line is always the CA, whose address is the absolute path
// of its PEM certificate file rather than a network address; then come the
// services in the order of Services():
//
//	{"service":"ca","address":"/tmp/netrun-sandbox-1234/ca.pem"}
//	{"service":"echo-tcp","address":"127.0.0.1:40001"}
//	{"service":"echo-udp","address":"127.0.0.1:40002"}
//	{"service":"echo-tls","address":"127.0.0.1:40003"}
//	{"service":"smtp","address":"127.0.0.1:40004"}
//	...
//	{"service":"pop3s","address":"127.0.0.1:40009"}
//
// It then serves until ctx is done, closes the sandbox and returns nil. It
// returns an error when a service cannot start or w cannot be written; a ctx
// done while starting is a normal stop.
func Serve(ctx context.Context, opts Options, w io.Writer) (err error) {
	s := New(opts)
	defer func() {
		if cerr := s.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	var werr error
	emit := func(name, addr string) {
		if werr == nil {
			if err := enc.Encode(Line{Service: name, Address: addr}); err != nil {
				werr = fmt.Errorf("write sandbox address: %w", err)
			}
		}
	}
	path, err := s.Address(ctx, caName)
	if err == nil {
		emit(caName, path)
		err = s.StartAll(ctx, emit)
	}
	if ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return err
	}
	if werr != nil {
		return werr
	}
	<-ctx.Done()
	return nil
}
