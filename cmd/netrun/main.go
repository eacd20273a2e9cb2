// Command netrun runs declarative network scenarios: YAML files of connect,
// send, expect, fetch and assert steps over TCP, UDP, TLS and more.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/schema"
	"github.com/netrunhq/netrun/steps/all"
	"github.com/netrunhq/netrun/steps/program"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailed  = 1
	exitInvalid = 2
)

func main() { os.Exit(netrun(os.Args[1:], os.Stdout, os.Stderr)) }

// registry lists every protocol plugin (steps/all), the spawn plugin
// guarded by a copy of netrun (see useGuard).
func registry() (*engine.Registry, error) {
	reg, err := all.Registry()
	if err == nil {
		useGuard(reg)
	}
	return reg, err
}

// netrun dispatches a command line and returns the exit status.
func netrun(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == program.GuardCommand {
		// netrun started by itself to outlive it (see useGuard).
		return program.Guard(os.Stdin)
	}
	cmd := "run"
	if len(args) > 0 {
		switch args[0] {
		case "run", "grade", "validate", "sandbox", "schema", "version", "help", "merge", "exporter":
			cmd, args = args[0], args[1:]
		case "-h", "-help", "--help":
			cmd, args = "help", nil
		}
	}
	switch cmd {
	case "grade":
		return gradeCmd(args, stdout, stderr)
	case "merge":
		return mergeCmd(args, stdout, stderr)
	case "exporter":
		return exporterCmd(args, stdout, stderr)
	case "validate":
		return validate(args, stdout, stderr)
	case "sandbox":
		return sandboxCmd(args, stdout, stderr)
	case "schema":
		_, _ = stdout.Write(schema.JSON())
		return exitOK
	case "version":
		fmt.Fprintln(stdout, "netrun", version())
		return exitOK
	case "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	return runCmd(args, stdout, stderr)
}

// version is the module version when installed with go install.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

const usage = `netrun runs declarative network scenarios.

Usage:
  netrun [run] [flags] FILE|DIR...   run scenarios (directories: every *.yaml, *.yml)
  netrun grade EXERCISE.yaml|--exercises DIR --submissions DIR [--out DIR] [-j N]
               [--var K=V] [--sandbox-user NAME:PASSWORD] [--prairielearn]
                                     grade each student's program (DIR/STUDENT/EXERCISE.py
                                     or DIR/STUDENT/EXERCISE); writes OUT/STUDENT/netrun-*
                                     reports, OUT/scores.csv and OUT/class-report.html
                                     (OUT: DIR by default)
  netrun merge -o DIR REPORT.json... merge the JSON reports of the shards of a run
                                     (--shard, netrun grade --shard) into DIR: report.json,
                                     junit.xml, report.tap, gradescope.json, scores.csv
  netrun exporter --config FILE [--listen ADDR]
                                     serve /probe?module=NAME&target=HOST:PORT to Prometheus
                                     (docs/exporter.md)
  netrun validate FILE|DIR...        check files; run nothing
  netrun sandbox [--listen HOST] [--port-base N] [--user NAME:PASSWORD]...
                                     serve the built-in servers in the foreground;
                                     prints {"service":NAME,"address":"host:port"} lines
                                     (the first, "ca", gives the CA's PEM file)
  netrun schema                      print the scenario JSON Schema (draft-07)
  netrun version                     print the version

Run flags:
  -j N            run N scenarios at once (default 1)
  -v              show the protocol transcript of every step
  --var K=V       set var K to V, replacing the file's value (repeatable)
  --tags A,B      run only scenarios tagged A or B
  --shard K/N     run the K-th of N parts (K from 1; also grade); without it, the
                  shard comes from NETRUN_SHARD=K/N, JOB_COMPLETION_INDEX (from 0)
                  with NETRUN_SHARDS, or CI_NODE_INDEX/CI_NODE_TOTAL (docs/scale-out.md)
  --shard-by FILE balance the shards by the durations of a past JSON report
  --junit FILE    write a JUnit XML report
  --junit-flavor xunit2|github
                  xunit2 (default): valid against Jenkins' junit-10.xsd;
                  github: adds file and line to each testcase (GitHub reporters)
  --json FILE     write a JSON report
  --tap FILE      write a TAP version 14 report
                  A report FILE of - is stdout (the console then goes to stderr);
                  missing folders of a report FILE are created.
  --gradescope FILE    write a Gradescope autograder results.json
  --prairielearn FILE  write a PrairieLearn external grader results.json
  --sandbox-user NAME:PASSWORD
                  a user of the built-in servers (repeatable); replaces
                  the default users alice and bob (password "secret")

Grade flags:
  --submissions DIR  one subfolder per student; its name is the student's id
  --out DIR          where reports and scores.csv go (default: the submissions folder)
  -j N               grade N students at once (default: the number of CPUs)
  --exercises DIR    grade every exercise (*.yaml, *.yml) of DIR
  --prairielearn     also write OUT/STUDENT/netrun-prairielearn.json
  --junit-flavor xunit2|github  the dialect of OUT/STUDENT/netrun-junit.xml

Exit status:
  0  every scenario passed
  1  a step failed
  2  a file or the command line is invalid; nothing ran

Examples:
  netrun scenarios/tcp_echo.yaml
  netrun -j 4 --junit report.xml scenarios/
  NETRUN_TCP_ECHO=example.org:7 netrun scenarios/tcp_echo.yaml
  netrun validate scenarios/
  netrun grade scenarios/teaching/udp_server.yaml --submissions subs/ --out grades/
  netrun sandbox --listen 127.0.0.1 --port-base 20000

Colour is used on a terminal unless NO_COLOR is set.
Format reference: docs/format.md
`
