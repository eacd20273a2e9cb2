package main

import (
	"context"
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
	var opts sandbox.Options
	fs.StringVar(&opts.Host, "listen", "127.0.0.1", "address to listen on")
	fs.IntVar(&opts.PortBase, "port-base", 0, "first fixed port; services take consecutive ports (0: ephemeral)")
	if err := fs.Parse(args); err != nil {
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
