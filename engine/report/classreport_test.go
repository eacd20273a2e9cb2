package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
)

// hostile is a student folder name that is markup.
const hostile = `<script>alert("x")</script>`

// classFixture is a class of 12 students on two exercises: full marks,
// partial ones with hints, a crash, missing programs, and students whose
// names are markup, quotes and a secret.
func classFixture() *Class {
	step := func(i int, name string, pts float64, st engine.Status, hint string) engine.StepResult {
		r := engine.StepResult{Index: i, Name: name, Status: st, MaxPoints: pts, Hint: hint}
		if st == engine.Passed {
			r.Points = pts
		}
		if st == engine.Failed || st == engine.Errored {
			r.Failure = &engine.Failure{Kind: st, Message: "got <nothing>"}
		}
		return r
	}
	udp := func(a, b, c engine.Status) *engine.ScenarioResult {
		r := &engine.ScenarioResult{Name: "udp_server", MaxScore: 6, Steps: []engine.StepResult{
			step(1, "spawn", 0, engine.Passed, ""),
			step(2, "first answer", 2, a, "Answer with the <reversed> text & \"nothing\" else."),
			step(3, "second answer", 3, b, "Keep serving after the first datagram."),
			step(4, "secret check", 1, c, ""),
		}}
		r.Steps[3].Visibility = "hidden"
		for _, s := range r.Steps {
			r.Score += s.Points
		}
		r.Status = engine.Passed
		if r.Score < r.MaxScore {
			r.Status = engine.Failed
		}
		return r
	}
	tcp := func(ok bool) *engine.ScenarioResult {
		st := engine.Passed
		if !ok {
			st = engine.Failed
		}
		r := &engine.ScenarioResult{Name: "tcp_client", MaxScore: 4, Status: st, Steps: []engine.StepResult{
			step(1, "sends its name", 4, st, "Send your name, then a newline.")}}
		r.Score = r.Steps[0].Points
		return r
	}
	P, F, E, S := engine.Passed, engine.Failed, engine.Errored, engine.Skipped
	entry := func(r *engine.ScenarioResult) ClassEntry { return ClassEntry{Result: r, Status: string(r.Status)} }
	missing := func(max float64) ClassEntry {
		return ClassEntry{Result: &engine.ScenarioResult{MaxScore: max, Status: engine.Errored}, Status: StatusMissing}
	}
	cl := &Class{Title: "netrun grade: udp_server, tcp_client", Exercises: []string{"udp_server", "tcp_client"}}
	add := func(id string, e ...ClassEntry) {
		cl.Students = append(cl.Students, ClassStudent{ID: id, Report: id + "/netrun-report.txt", Entries: e})
	}
	add("alice", entry(udp(P, P, P)), entry(tcp(true)))
	add("bob", entry(udp(P, F, S)), entry(tcp(true)))
	add("carol", entry(udp(F, S, S)), entry(tcp(false)))
	add("dave", entry(udp(P, P, F)), entry(tcp(true)))
	add("erin", missing(6), missing(4))
	add("frank", entry(udp(E, S, S)), entry(tcp(false)))
	add("grace", entry(udp(P, F, S)), missing(4))
	add("heidi", entry(udp(P, P, P)), entry(tcp(true)))
	add(hostile, entry(udp(P, F, S)), entry(tcp(true)))
	add(`o'brien "the" & co`, entry(udp(F, S, S)), entry(tcp(true)))
	add("a#b?c=d e", entry(udp(P, P, P)), entry(tcp(false)))
	add("leak "+canary, entry(udp(P, P, P)), entry(tcp(true)))
	return cl
}

func writeClass(t *testing.T) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteClassReport(&b, classFixture(), redactor()); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "class-report.html")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, b.Bytes()
}

// TestClassReportHTML checks the page's source: escaped names and links,
// nothing loaded from elsewhere, no script, no secret, and the numbers.
func TestClassReportHTML(t *testing.T) {
	_, out := writeClass(t)
	page := string(out)
	noSecrets(t, "class report", out)
	for _, bad := range []string{"<script", "src=", "<link", "@import", "url(", "javascript:", `alert("x")`} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q", bad)
		}
	}
	for _, want := range []string{
		`<a href="./%3Cscript%3Ealert%28%22x%22%29%3C/script%3E/netrun-report.txt">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</a>`,
		`<a href="./a%23b%3Fc=d%20e/netrun-report.txt">a#b?c=d e</a>`,
		`o&#39;brien &#34;the&#34; &amp; co`,
		`<b id="students">12</b>`, `<b id="missing">2</b>`, `<b id="full">3</b>`,
		// udp_server: 11 students with a program... and erin's 0 among 12 scores.
		`<td>udp_server</td><td class="num">12</td><td class="num">6</td>`,
		// first answer: 8 of 11 passed; second answer: 5 passed, 3 failed,
		// 0 errors, 3 not run.
		`8/11 (73%)`,
		`5/11 (45%)</td><td class="num">3</td><td class="num">0</td><td class="num">3</td>`,
		// The hint of "second answer" failed 3 students: bob, grace, the hostile one.
		`<tr><td class="num">3</td><td>udp_server</td><td>second answer</td><td>Keep serving after the first datagram.</td></tr>`,
		`Answer with the &lt;reversed&gt; text &amp; &#34;nothing&#34; else.`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if n := strings.Count(page, `class="hist-bar"`); n != histBins {
		t.Errorf("%d histogram bars, want %d", n, histBins)
	}
}

// TestClassReportInChromium loads the page in headless Chromium, as a
// teacher's browser would, offline: the DOM it builds shows the numbers and
// the hostile names as text, with no script element, and a screenshot is
// taken (kept in $NETRUN_SCREENSHOT_DIR when set, to look at).
func TestClassReportInChromium(t *testing.T) {
	chromium := needTool(t, "chromium", "chromium")
	path, _ := writeClass(t)
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
		"--user-data-dir=" + t.TempDir(), "--proxy-server=127.0.0.1:9", "--window-size=1200,2400"}
	// A Chromium that hangs (no display, a broken profile) must not hang
	// the test run: a generous bound, not a timing check.
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	dom, err := exec.CommandContext(ctx, chromium, append(args, "--dump-dom", "file://"+path)...).Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v", err)
	}
	text := string(dom)
	if strings.Count(text, "<script") != 0 {
		t.Errorf("the DOM has a script element:\n%s", text)
	}
	for _, want := range []string{`<b id="students">12</b>`, `<b id="median">`, "&lt;script&gt;alert(\"x\")&lt;/script&gt;</a>",
		`o'brien "the" &amp; co`, `id="histogram"`, "8/11 (73%)", "Keep serving after the first datagram."} {
		if !strings.Contains(text, want) {
			t.Errorf("the DOM lacks %s", want)
		}
	}
	if got := len(regexp.MustCompile(`<g class="hist-bar" data-count="\d+">`).FindAllString(text, -1)); got != histBins {
		t.Errorf("the DOM has %d histogram bars, want %d", got, histBins)
	}
	dir := os.Getenv("NETRUN_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	shot := filepath.Join(dir, "class-report.png")
	if out, err := exec.CommandContext(ctx, chromium, append(args, "--screenshot="+shot, "file://"+path)...).CombinedOutput(); err != nil {
		t.Fatalf("chromium --screenshot: %v\n%s", err, out)
	}
	png, err := os.ReadFile(shot)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) || len(png) < 20000 {
		t.Fatalf("screenshot: %v, %d bytes", err, len(png))
	}
	t.Logf("screenshot %s, %d bytes", shot, len(png))
}

// BenchmarkClassReport300 writes the class report of 300 students on two
// exercises (the fixture's 12, 25 times).
func BenchmarkClassReport300(b *testing.B) {
	base := classFixture()
	cl := &Class{Title: base.Title, Exercises: base.Exercises}
	for i := 0; i < 25; i++ {
		for _, s := range base.Students {
			s.ID = fmt.Sprintf("%s-%02d", s.ID, i)
			cl.Students = append(cl.Students, s)
		}
	}
	var size int
	for b.Loop() {
		var w bytes.Buffer
		if err := WriteClassReport(&w, cl, redactor()); err != nil {
			b.Fatal(err)
		}
		size = w.Len()
	}
	b.ReportMetric(float64(size), "bytes/report")
}
