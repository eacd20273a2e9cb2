package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/netrunhq/netrun/sandbox"
)

// sandboxCmd serves the built-in servers in the foreground until killed.
func sandboxCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("netrun sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	opts := sandbox.Options{Users: map[string]string{}}
	fs.StringVar(&opts.Host, "listen", "127.0.0.1", "address to listen on")
	fs.IntVar(&opts.PortBase, "port-base", 0, "first fixed port; services take consecutive ports (0: ephemeral)")
	checkUsers := userFlag(fs, "user", opts.Users)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitInvalid
	}
	if err := checkUsers(); err != nil {
		fmt.Fprintln(stderr, "netrun sandbox:", err)
		return exitInvalid
	}
	n := len(sandbox.Names()) - 1 // the services; the last name is the CA
	if opts.PortBase < 0 || opts.PortBase+n-1 > 65535 {
		fmt.Fprintf(stderr, "netrun sandbox: --port-base %d: the %d services need ports %d to %d\n", opts.PortBase, n, opts.PortBase, opts.PortBase+n-1)
		return exitInvalid
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "netrun sandbox: unexpected argument %q\n", fs.Arg(0))
		return exitInvalid
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := sandbox.Serve(ctx, opts, stdout); err != nil {
		fmt.Fprintln(stderr, "netrun sandbox:", err)
		return exitFailed
	}
	return exitOK
}
