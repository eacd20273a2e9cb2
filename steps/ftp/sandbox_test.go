package ftp_test

import (
	"context"
	"testing"

	"github.com/netrunhq/netrun/sandbox"
)

// sandboxFTP holds the addresses of the sandbox's FTP services.
type sandboxFTP struct{ ftp, ftps, ca string }

// sandboxAddrs starts a sandbox's ftp and ftps services for the test.
func sandboxAddrs(t *testing.T) sandboxFTP {
	t.Helper()
	sb := sandbox.New(sandbox.Options{})
	t.Cleanup(func() {
		if err := sb.Close(); err != nil {
			t.Errorf("sandbox close: %v", err)
		}
	})
	var out sandboxFTP
	for _, f := range []struct {
		name string
		dst  *string
	}{{"ftp", &out.ftp}, {"ftps", &out.ftps}, {"ca", &out.ca}} {
		addr, err := sb.Address(context.Background(), f.name)
		if err != nil {
			t.Fatal(err)
		}
		*f.dst = addr
	}
	return out
}
