package main

import (
	"fmt"
	"io"
)

func exporterCmd(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "netrun exporter: not yet")
	return exitInvalid
}
