package ftp_test

import (
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// stall sends part, then nothing, until the client closes.
func stall(part string) dataFunc {
	return func(c net.Conn) error {
		if _, err := io.WriteString(c, part); err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, c)
		return nil
	}
}

// endless sends without end until the client goes away.
func endless(line string) dataFunc {
	return func(c net.Conn) error {
		chunk := bytes.Repeat([]byte(line), 32<<10/len(line)+1)
		for {
			if _, err := c.Write(chunk); err != nil {
				return nil
			}
		}
	}
}

func TestBadServers(t *testing.T) {
	for _, tc := range []struct {
		name string
		acts []steptest.Act
		// steps follow a connect step (anonymous unless auth is given).
		auth, steps string
		want        []engine.Status
		msg         []string // in the failure of the first step that fails
	}{{
		name: "login refused at PASS",
		acts: []steptest.Act{
			steptest.Say("220 ready\r\n"),
			steptest.Dialogue("USER alice", "331 Password please\r\n"),
			steptest.Dialogue("PASS Wr0ng-canary", "530 Login incorrect.\r\n"),
			steptest.ListenToEnd(),
		},
		auth: "auth: { user: alice, password: '{{ pw }}' }",
		want: []engine.Status{engine.Failed},
		msg:  []string{"login as alice: the server answered 530 Login incorrect."},
	}, {
		name: "login refused at USER",
		acts: []steptest.Act{
			steptest.Say("220 ready\r\n"),
			steptest.Dialogue("USER anonymous", "530 This FTP server does not allow anonymous logins.\r\n"),
			steptest.ListenToEnd(),
		},
		want: []engine.Status{engine.Failed},
		msg:  []string{"login as anonymous: the server answered 530 This FTP server does not allow anonymous logins."},
	}, {
		name: "greeting refused",
		acts: []steptest.Act{steptest.Say("421 Too many users, try later\r\n"), steptest.ListenToEnd()},
		want: []engine.Status{engine.Failed},
		msg:  []string{"the server refused the session: 421 Too many users, try later"},
	}, {
		name: "AUTH TLS refused",
		acts: []steptest.Act{
			steptest.Say("220 ready\r\n"),
			steptest.Dialogue("AUTH TLS", "502 Command not implemented\r\n"),
			steptest.ListenToEnd(),
		},
		auth: "starttls: true",
		want: []engine.Status{engine.Failed},
		msg:  []string{"starttls: the server answered AUTH TLS with 502 Command not implemented"},
	}, {
		name: "missing file",
		acts: []steptest.Act{login(),
			passive(new(net.Listener)),
			steptest.Dialogue("RETR nope.txt", "550 Failed to open file.\r\n"),
			steptest.Dialogue("NOOP", "200 still here\r\n"), quit()},
		steps: "  - fetch: nope.txt\n    id: miss\n    continue: true\n  - send: { command: NOOP }\n    assert: steps.miss.reply.code == 550 && steps.miss.size == 0\n",
		want:  []engine.Status{engine.Passed, engine.Failed, engine.Passed},
		msg:   []string{"RETR nope.txt: the server answered 550 Failed to open file."},
	}, {
		name: "data connection refused",
		acts: []steptest.Act{login(),
			func(p *steptest.Peer) error {
				port := strings.TrimPrefix(steptest.ClosedPort(t), "127.0.0.1:")
				return steptest.Dialogue("EPSV", "229 Entering Extended Passive Mode (|||"+port+"|)\r\n")(p)
			},
			quit()},
		steps: "  - fetch: f\n",
		want:  []engine.Status{engine.Passed, engine.Errored},
		msg:   []string{"cannot open the data connection (after EPSV): connection refused by 127.0.0.1:"},
	}, {
		name: "data connection never served",
		acts: []steptest.Act{login(),
			transfer("RETR f", stall(""), "426 Aborted\r\n"), steptest.ListenToEnd()},
		steps: "  - fetch: f\n    timeout: 300ms\n    continue: true\n  - send: { command: NOOP }\n",
		want:  []engine.Status{engine.Passed, engine.Failed, engine.Errored},
		msg:   []string{"RETR f: the data connection received nothing within the step's timeout"},
	}, {
		name: "stall in the middle of a transfer",
		acts: []steptest.Act{login(),
			transfer("RETR f", stall(strings.Repeat("x", 1000)), "426 Aborted\r\n"), steptest.ListenToEnd()},
		steps: "  - fetch: { path: f, to: out/f }\n    timeout: 300ms\n",
		want:  []engine.Status{engine.Passed, engine.Failed},
		msg:   []string{"RETR f: the data connection stalled: 1000 bytes received, then nothing until the step's timeout"},
	}, {
		name: "a file larger than max_size",
		acts: []steptest.Act{login(),
			transfer("RETR big", endless("x"), "426 Connection closed; transfer aborted.\r\n"),
			steptest.Dialogue("NOOP", "200 ok\r\n"), quit()},
		steps: "  - fetch: { path: big, max_size: 64KiB }\n    continue: true\n  - send: { command: NOOP }\n",
		want:  []engine.Status{engine.Passed, engine.Errored, engine.Passed},
		msg:   []string{"RETR big: the file is larger than max_size (64 KiB); netrun stopped reading it"},
	}, {
		name: "a listing without end",
		acts: []steptest.Act{login(),
			transfer("LIST", endless("-rw-r--r--    1 0        0     6 Jan 02 03:04 f\r\n"), "426 aborted\r\n"),
			quit()},
		steps: "  - fetch: { list: '', max_size: 1MiB }\n",
		want:  []engine.Status{engine.Passed, engine.Errored},
		msg:   []string{"LIST: the listing is larger than max_size (1 MiB)"},
	}, {
		name: "LIST lines that do not parse",
		acts: []steptest.Act{login(),
			transfer("LIST pub", send(lsList+"this is not a listing line\r\n"), "226 ok\r\n"), quit()},
		steps: "  - fetch: { list: pub }\n    id: l\n    continue: true\n  - assert: len(steps.l.entries) == 3 && steps.l.unparsed == [\"this is not a listing line\"]\n",
		want:  []engine.Status{engine.Passed, engine.Failed, engine.Passed},
		msg:   []string{`LIST pub: 1 of the listing's lines could not be read as entries, the first: "this is not a listing line"`},
	}, {
		name:  "no reply to a command",
		acts:  []steptest.Act{login(), steptest.HearLine("DELE f"), steptest.ListenToEnd()},
		steps: "  - send: { delete: f }\n    timeout: 300ms\n    continue: true\n  - send: { mkdir: d }\n",
		want:  []engine.Status{engine.Passed, engine.Failed, engine.Errored},
		msg:   []string{"DELE f: no reply to DELE within the step's timeout"},
	}, {
		name:  "the server hangs up",
		acts:  []steptest.Act{login(), steptest.HangUp()},
		steps: "  - send: { command: NOOP }\n",
		want:  []engine.Status{engine.Passed, engine.Failed},
		msg:   []string{"NOOP: the server closed the connection while we waited for the reply to NOOP"},
	}, {
		name: "a control line without end",
		acts: []steptest.Act{steptest.Say("220-"), steptest.Flood()},
		want: []engine.Status{engine.Failed},
		msg:  []string{"the server sent a line longer than 64 KiB on the control connection"},
	}, {
		name: "not an FTP server",
		acts: []steptest.Act{steptest.Say("SSH-2.0-OpenSSH_9.2\r\n"), steptest.ListenToEnd()},
		want: []engine.Status{engine.Failed},
		msg:  []string{`"SSH-2.0-OpenSSH_9.2\r\n" is not an FTP reply line`},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			addr := steptest.Serve(t, nil, tc.acts...)
			dir := t.TempDir()
			res := harness(t).Run(dir, "name: bad\nsecrets: { pw: Wr0ng-canary }\nsteps:\n  - connect: ftp://ADDR\n    "+tc.auth+"\n"+tc.steps, "ADDR", addr)
			steptest.Check(t, res, tc.want...)
			for i, st := range res.Steps {
				if st.Status == engine.Failed || st.Status == engine.Errored {
					steptest.Failure(t, res, i+1, tc.msg...)
					break
				}
			}
			for _, st := range res.Steps {
				for _, l := range st.Transcript {
					if strings.Contains(l.Text, "Wr0ng-canary") {
						t.Errorf("the password shows: %s", l.Text)
					}
				}
			}
			if left, _ := os.ReadDir(filepath.Join(dir, "out")); len(left) > 0 {
				t.Errorf("files left after a failed download: %v", left)
			}
		})
	}
}
