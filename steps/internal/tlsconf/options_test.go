package tlsconf

import (
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"go.yaml.in/yaml/v4"
)

// decode reads tls options from YAML as the loader does, without compiling.
func decode(t *testing.T, src string) (*Options, error) {
	t.Helper()
	var n yaml.Node
	if err := yaml.Load([]byte(src), &n); err != nil {
		t.Fatal(err)
	}
	var o Options
	err := n.Content[0].Load(&o, yaml.WithKnownFields())
	return &o, err
}

func TestValidate(t *testing.T) {
	tests := []struct {
		src    string
		server bool
		want   string
	}{
		{src: `{ ca: ca.pem, sni: mail.example.test, min_version: "1.2" }`},
		{src: `{ cert: c.pem, key: k.pem }`, server: true},
		{src: `{ cert: c.pem, key: k.pem, ca: ca.pem }`, server: true},
		{src: `{ min_version: "{{ v }}" }`},
		{src: `{ insecure: true }`},
		{src: `{ min_version: 1.4 }`, want: `1:3: min_version must be 1.0, 1.1, 1.2 or 1.3, not "1.4"`},
		{src: `{ cert: c.pem }`, want: "1:3: cert needs key"},
		{src: `{ key: k.pem }`, want: "1:3: key needs cert"},
		{src: `{ ca: ca.pem }`, server: true, want: "1:1: a tls listener needs cert and key"},
		{src: `{ cert: c, key: k, sni: x }`, server: true, want: "1:20: sni is for clients"},
		{src: `{ cert: c, key: k, insecure: true }`, server: true, want: "insecure is for clients"},
		{src: `{ ca: x, insecure: true }`, want: "1:10: insecure: true turns verification off, so ca has no effect"},
	}
	for _, tt := range tests {
		o, err := decode(t, tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		err = o.Validate(&engine.Decoder{}, tt.server)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.src, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want %q", tt.src, err, tt.want)
		}
	}
	var none *Options
	if err := none.Validate(&engine.Decoder{}, false); err != nil {
		t.Errorf("no options, client: %v", err)
	}
	if err := none.Validate(&engine.Decoder{}, true); err == nil || !strings.Contains(err.Error(), "a tls listener needs tls: { cert: FILE, key: FILE }") {
		t.Errorf("no options, server: %v", err)
	}
}

func TestOptionsYAML(t *testing.T) {
	if _, err := decode(t, `{ cafile: x }`); err == nil || !strings.Contains(err.Error(), `unknown key "cafile"`) {
		t.Errorf("unknown key: %v", err)
	}
	if _, err := decode(t, `[x]`); err == nil || !strings.Contains(err.Error(), "tls takes a mapping") {
		t.Errorf("list: %v", err)
	}
}
