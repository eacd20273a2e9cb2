// Command roundtrips is the whole-process baseline of P1
// (test/bench/p1_process.sh): a small Go program making the same line
// round trips as a scenario file of send/expect steps, with a deadline on
// each, as netrun has. With -serve it is the echo server instead, and
// prints its address.
//
//	roundtrips -serve
//	roundtrips -n 10000 ADDR
//	roundtrips -scenario -n 10000 ADDR   (prints the scenario file)
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

func main() {
	serve := flag.Bool("serve", false, "echo every connection on 127.0.0.1:0 and print the address")
	scenario := flag.Bool("scenario", false, "print the scenario of the same round trips")
	n := flag.Int("n", 10000, "round trips")
	flag.Parse()
	if *serve {
		if err := echo(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: roundtrips [-scenario] [-n N] ADDR | roundtrips -serve")
		os.Exit(2)
	}
	if *scenario {
		fmt.Print(scenarioFile(flag.Arg(0), *n))
		return
	}
	if err := roundTrips(flag.Arg(0), *n); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func echo() error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println(l.Addr())
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer c.Close()
			_, _ = io.Copy(c, c)
		}()
	}
}

func scenarioFile(addr string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name: round trips\ntimeout: 10m\nsteps:\n  - connect: tcp://%s\n", addr)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - send: { line: ping %d }\n  - expect: { line: true, equals: ping %d }\n", i, i)
	}
	b.WriteString("  - close: true\n")
	return b.String()
}

func roundTrips(addr string, n int) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	r := bufio.NewReader(c)
	for i := 0; i < n; i++ {
		want := fmt.Sprintf("ping %d", i)
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := c.Write([]byte(want + "\r\n")); err != nil {
			return err
		}
		line, err := r.ReadString('\n')
		if err != nil {
			return err
		}
		if got := strings.TrimRight(line, "\r\n"); got != want {
			return fmt.Errorf("got %q, want %q", got, want)
		}
	}
	return nil
}
