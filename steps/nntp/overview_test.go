package nntp_test

import (
	"strconv"
	"testing"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/internal/steptest"
)

// overLines are OVER lines of articles 4 and 5 of comp.lang.python.
const overLines = "4\tFirst steps\tAda <ada@example.test>\tMon, 02 Jun 2025 08:00:00 +0000\t<c4@example.test>\t\t812\t14\tXref: x\r\n" +
	"5\t=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\tbob@example.test\tMon, 02 Jun 2025 09:30:00 +0000\t<c5@example.test>\t<c4@example.test>\t1024\t20\r\n"

func TestOverview(t *testing.T) {
	for _, tc := range []struct {
		name   string
		caps   steptest.Act
		acts   []steptest.Act
		method string
		bytes  int
	}{
		{"OVER", readerCaps(), []steptest.Act{steptest.Dialogue("OVER 4-5", "224 overview follows\r\n"+overLines+".\r\n")}, "OVER", 812},
		{"XOVER when OVER is not listed",
			steptest.Dialogue("CAPABILITIES", "101 caps\r\nVERSION 2\r\nREADER\r\n.\r\n"),
			[]steptest.Act{steptest.Dialogue("XOVER 4-5", "224 overview follows\r\n"+overLines+".\r\n")}, "XOVER", 812},
		{"XHDR when neither is known", steptest.Dialogue("CAPABILITIES", "500 What?\r\n"), []steptest.Act{
			steptest.Dialogue("OVER 4-5", "500 What?\r\n"),
			steptest.Dialogue("XOVER 4-5", "500 What?\r\n"),
			steptest.Dialogue("XHDR Subject 4-5", "221 Subject\r\n4 First steps\r\n5 =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n.\r\n"),
			steptest.Dialogue("XHDR From 4-5", "221 From\r\n4 Ada <ada@example.test>\r\n5 bob@example.test\r\n.\r\n"),
			steptest.Dialogue("XHDR Date 4-5", "221 Date\r\n4 Mon, 02 Jun 2025 08:00:00 +0000\r\n5 Mon, 02 Jun 2025 09:30:00 +0000\r\n.\r\n"),
			steptest.Dialogue("XHDR Message-ID 4-5", "221 Message-ID\r\n4 <c4@example.test>\r\n5 <c5@example.test>\r\n.\r\n"),
			steptest.Dialogue("XHDR References 4-5", "221 References\r\n4 (none)\r\n5 <c4@example.test>\r\n.\r\n"),
		}, "XHDR", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acts := append([]steptest.Act{steptest.Say("200 ready\r\n"), tc.caps,
				steptest.Dialogue("GROUP comp.lang.python", "211 5 1 5 comp.lang.python\r\n")}, tc.acts...)
			addr := steptest.Serve(t, nil, append(acts, quit())...)
			res := harness(t).Run("", `
name: overview
steps:
  - connect: nntp://ADDR
  - fetch: { overview: { group: comp.lang.python, last: 2 } }
    assert:
      - result.method == "METHOD"
      - result.group.last == 5
      - map(result.entries, .number) == [4, 5]
      - result.entries[0].from == "Ada <ada@example.test>"
      - result.entries[0].references == ""
      - result.entries[0].bytes == BYTES
      - result.entries[1].subject == "Grüße"
      - result.entries[1].date == date("2025-06-02T09:30:00Z")
      - result.entries[1].message_id == "<c5@example.test>"
      - result.entries[1].references == "<c4@example.test>"
`, "ADDR", addr, "METHOD", tc.method, "BYTES", map[int]string{812: "812", 0: "0"}[tc.bytes])
			steptest.Check(t, res, engine.Passed, engine.Passed)
		})
	}
}

func TestMalformedOverview(t *testing.T) {
	for _, tc := range []struct {
		name, lines string
		want        []string
	}{
		{"too few fields", "4\tsubject only\r\n", []string{"OVER: line 1 is not an overview line (2 fields, not the 8"}},
		{"not a number", "four\ts\tf\td\t<m>\t\t1\t1\r\n", []string{`the article number "four" is not a number from 1`}},
		{"bad bytes", "4\ts\tf\td\t<m>\t\tmany\t1\r\n", []string{`:bytes "many" is not a number`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := steptest.Serve(t, nil, greet(),
				steptest.Dialogue("GROUP local.test", "211 1 4 4 local.test\r\n"),
				steptest.Dialogue("OVER 4-4", "224 overview\r\n"+tc.lines+".\r\n"),
				quit())
			res := harness(t).Run("", `
name: malformed
steps:
  - connect: nntp://ADDR
  - fetch: { overview: { group: local.test, last: 1 } }
    continue: true
`, "ADDR", addr)
			steptest.Check(t, res, engine.Passed, engine.Failed)
			f := steptest.Failure(t, res, 2, tc.want...)
			if want := strconv.Quote(tc.lines); f.Received != want {
				t.Errorf("received %s", f.Received)
			}
		})
	}
}

func TestMalformedXHDR(t *testing.T) {
	addr := steptest.Serve(t, nil, steptest.Say("200 ready\r\n"),
		steptest.Dialogue("CAPABILITIES", "500 What?\r\n"),
		steptest.Dialogue("GROUP local.test", "211 1 4 4 local.test\r\n"),
		steptest.Dialogue("OVER 4-4", "500 What?\r\n"),
		steptest.Dialogue("XOVER 4-4", "501 no\r\n"),
		steptest.Dialogue("XHDR Subject 4-4", "221 Subject\r\nfour subject\r\n.\r\n"),
		quit())
	res := harness(t).Run("", `
name: malformed xhdr
steps:
  - connect: nntp://ADDR
  - fetch: { overview: { group: local.test } }
    continue: true
`, "ADDR", addr)
	steptest.Check(t, res, engine.Passed, engine.Failed)
	steptest.Failure(t, res, 2, `XHDR Subject: line 1 is not NUMBER VALUE: "four subject"`)
}
