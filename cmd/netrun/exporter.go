package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/netrunhq/netrun/exporter"
	"github.com/netrunhq/netrun/sandbox"
)

// exporterCmd serves /probe and /metrics to Prometheus until killed
// (docs/exporter.md).
func exporterCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("netrun exporter")
	listen := fs.String("listen", "127.0.0.1:9470", "")
	config := fs.String("config", "", "")
	rest, err := parseInterleaved(fs, args)
	switch {
	case err == nil && *config == "":
		err = errors.New("exporter needs --config FILE (docs/exporter.md)")
	case err == nil && len(rest) > 0:
		err = fmt.Errorf("unexpected argument %q", rest[0])
	}
	if status, done := parsed(err, "netrun exporter", "exporter", exporterHelp, stdout, stderr); done {
		return status
	}
	reg, ok := openRegistry(stderr)
	if !ok {
		return exitInvalid
	}
	cfg, err := exporter.LoadConfig(*config, reg, sandbox.Names(), os.LookupEnv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitInvalid
	}
	defer reg.KillAll()
	sb := sandbox.New(sandbox.Options{})
	defer sb.Close()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(stderr, "netrun exporter: %v\n", err)
		return exitInvalid
	}
	// A slow request is cut by ReadTimeout and an idle keep-alive
	// connection by IdleTimeout. No WriteTimeout: it counts from the
	// request's start, and a probe may run up to its module's timeout.
	srv := &http.Server{Handler: exporter.New(cfg, exporter.Options{Sandbox: sb, Log: stderr}).Handler(),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	fmt.Fprintf(stderr, "netrun exporter: listening on http://%s with modules %v\n", ln.Addr(), cfg.Names)
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "netrun exporter: %v\n", err)
		return exitFailed
	}
	return exitOK
}
