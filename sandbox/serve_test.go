package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, Options{}, pw)
		pw.Close()
	}()

	want := []string{"ca"}
	for _, e := range catalog() {
		want = append(want, e.name)
	}
	var lines []Line
	sc := bufio.NewScanner(pr)
	for len(lines) < len(want) && sc.Scan() {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var l Line
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if !strings.HasPrefix(sc.Text(), `{"service":`) {
			t.Errorf("line %q: want the service first", sc.Text())
		}
		lines = append(lines, l)
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines (%v), want %d", len(lines), sc.Err(), len(want))
	}
	for i, l := range lines {
		if l.Service != want[i] {
			t.Errorf("line %d is %q, want %q", i, l.Service, want[i])
		}
	}
	if _, err := os.Stat(lines[0].Address); err != nil || !filepath.IsAbs(lines[0].Address) {
		t.Errorf("ca address %q is not an absolute path to a file: %v", lines[0].Address, err)
	}
	tcp := lines[1].Address
	c, err := net.Dial("tcp", tcp)
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, c, []byte("served"))
	c.Close()

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if rest, _ := io.ReadAll(pr); len(rest) != 0 {
		t.Errorf("more output after the services: %q", rest)
	}
	if c, err := net.Dial("tcp", tcp); err == nil {
		c.Close()
		t.Error("echo-tcp still up after Serve returned")
	}
	if _, err := os.Stat(lines[0].Address); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ca file left after Serve returned: %v", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestServeErrors(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		w    io.Writer
		want string
	}{
		{"bad port", Options{PortBase: -10}, io.Discard, "sandbox echo-tcp: port -10 out of range"},
		{"write", Options{}, failWriter{}, "write sandbox address: disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Serve(context.Background(), tt.opts, tt.w)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Serve: %v, want %q", err, tt.want)
			}
		})
	}
}

func TestServeCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	if err := Serve(ctx, Options{}, &out); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if out.Len() != 0 {
		t.Fatalf("output %q, want none", out.String())
	}
}
