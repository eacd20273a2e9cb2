package main

// The help texts of the commands (netrun COMMAND --help).

const runHelp = `Usage: netrun [run] [flags] FILE|DIR...

Runs scenarios. A folder gives its *.yaml and *.yml files, sorted, but
not those in hidden folders, testdata or node_modules; a YAML file in a
folder without a top-level "steps" is skipped (and said so). A file named
on the command line is always loaded, and must be a scenario.

Run flags:
  -j N, -jN       run N scenarios at once (default 1)
  -v, --verbose   show the protocol transcript of every step
  --var K=V       set var K to V, replacing the file's value (repeatable);
                  --var program=PATH must name an existing file, relative
                  to the current folder
  --tags A,B      run only scenarios tagged A or B
  --shard K/N     run the K-th of N parts (K from 1); without it, the shard
                  comes from NETRUN_SHARD=K/N, JOB_COMPLETION_INDEX (from 0)
                  with NETRUN_SHARDS, or CI_NODE_INDEX/CI_NODE_TOTAL
                  (docs/scale-out.md); merge the parts with netrun merge
  --shard-by FILE balance the shards by the durations of a past JSON report
  --color auto|always|never
                  colour on a terminal (auto, the default), always (CI
                  logs that render ANSI) or never
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

On a terminal, a status line shows the scenarios running, how many are
done and the time so far; never in a pipe or a file. With -j N, each
scenario's lines are printed whole when it ends, in the order of the files.
With GITHUB_ACTIONS=true, each failed step is also an ::error workflow
command, and the summary is appended to $GITHUB_STEP_SUMMARY.
Colour: off when NO_COLOR is set and not empty or TERM=dumb; FORCE_COLOR
or --color=always turns it on.

Examples:
  netrun scenarios/tcp_echo.yaml
  netrun -j4 --junit report.xml scenarios/
  NETRUN_TCP_ECHO=example.org:7 netrun scenarios/tcp_echo.yaml

Format reference: docs/format.md
`

const gradeHelp = `Usage: netrun grade EXERCISE.yaml|--exercises DIR --submissions DIR [flags]

Grades each student's program (DIR/STUDENT/EXERCISE.py or
DIR/STUDENT/EXERCISE); writes OUT/STUDENT/netrun-* reports, OUT/scores.csv
and OUT/class-report.html.

Grade flags:
  --submissions DIR  one subfolder per student; its name is the student's id
  --out DIR          where reports and scores.csv go (default: the submissions folder)
  -j N, -jN          grade N students at once (default: the number of CPUs)
  --exercises DIR    grade every exercise (*.yaml, *.yml) of DIR
  --var K=V          set var K (not program: that is each student's)
  --sandbox-user NAME:PASSWORD  a user of the built-in servers (repeatable)
  --prairielearn     also write OUT/STUDENT/netrun-prairielearn.json
  --junit-flavor xunit2|github  the dialect of OUT/STUDENT/netrun-junit.xml
  --color auto|always|never     colour of the console
  --shard K/N, --shard-by FILE  grade the K-th of N parts of the students
                                (as netrun run --shard; docs/scale-out.md)

Example:
  netrun grade scenarios/teaching/udp_server.yaml --submissions subs/ --out grades/
`

const validateHelp = `Usage: netrun validate FILE|DIR...

Loads the files as netrun run would, prints every error as
FILE:LINE:COL: message, and runs nothing. Exit 0 when all are valid, 2
otherwise.
`

const sandboxHelp = `Usage: netrun sandbox [--listen HOST] [--port-base N] [--user NAME:PASSWORD]...

Serves the built-in servers in the foreground; prints
{"service":NAME,"address":"host:port"} lines (the first, "ca", gives the
CA's PEM file).

  --listen HOST         address to listen on (default 127.0.0.1)
  --port-base N         first fixed port; services take consecutive ports
                        (default 0: ephemeral)
  --user NAME:PASSWORD  a user (repeatable); replaces alice and bob

Example:
  netrun sandbox --listen 127.0.0.1 --port-base 20000
`

const schemaHelp = `Usage: netrun schema

Prints the JSON Schema (draft-07) of scenario files, for editors:
  netrun schema > scenario.schema.json
`

const completionHelp = `Usage: netrun completion bash|zsh|fish

Prints a completion script for the shell:
  bash:  source <(netrun completion bash)
  zsh:   netrun completion zsh > "${fpath[1]}/_netrun"
  fish:  netrun completion fish > ~/.config/fish/completions/netrun.fish
`

const exitHelp = `Exit status:
  0    every scenario passed
  1    a step failed
  2    a file or the command line is invalid; nothing ran
  130  interrupted (Ctrl-C or SIGTERM); the reports say what did not run
`

const mergeHelp = `Usage: netrun merge -o DIR REPORT.json...

Merges the JSON reports of the shards of one run (netrun --shard K/N
--json FILE, or the netrun-grade*.json of netrun grade --shard) into the
reports of the whole run, in DIR: report.json, junit.xml, report.tap,
gradescope.json and scores.csv. A missing or duplicated shard, a report of
another run, a scenario in two reports, or the report of a run whose files
were invalid is an error that names it.

Example:
  netrun merge -o merged/ shard-1.json shard-2.json shard-3.json

Scale-out reference: docs/scale-out.md
`

const exporterHelp = `Usage: netrun exporter --config FILE [--listen ADDR]

Serves /probe?module=NAME&target=HOST:PORT in the Prometheus text format,
as blackbox_exporter does, each module a scenario run per probe with the
target as a var; /metrics has the exporter's own metrics, and
&debug=true the probe's redacted transcript. --listen defaults to
127.0.0.1:9470.

Reference: docs/exporter.md
`
