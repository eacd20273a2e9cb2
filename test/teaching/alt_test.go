package teaching

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// altExercises are the exercises that must have at least minAlt correct
// solutions in other styles than the reference, in solutions/alt: grading
// must not depend on the one way the reference was written.
var altExercises = []string{
	"udp_server", "udp_client", "tcp_server", "tcp_client", "tcp_chat_server", "timestamp_server",
	"smtp_plain", "smtp_html", "smtp_attachment", "smtp_headers", "smtp_alternative",
	"pop3_reader", "imap_search", "nntp_reader", "ftp_download",
}

const minAlt = 2

// pythonModules are the modules a program of the pack (a solution or a
// broken variant) imports that not every Python 3 has: nntplib left the standard library in 3.13. Such a
// program is skipped, with the reason, where python3 lacks the module (the
// reference solution of nntp_reader speaks NNTP over a socket there).
var pythonModules = map[string][]string{
	"solutions/alt/nntp_post-emailmessage.py": {"nntplib"},
	"broken/nntp_post-no-login.py":            {"nntplib"},
	"broken/nntp_post-no-newsgroups.py":       {"nntplib"},
	"broken/nntp_post-raw-headers.py":         {"nntplib"},
	"solutions/alt/nntp_reader-head-body.py":  {"nntplib"},
	"solutions/alt/nntp_reader-xhdr.py":       {"nntplib"},
	"solutions/alt/nntp_reader-over.py":       {"nntplib"},
}

var (
	modulesMu sync.Mutex
	modules   = map[string]bool{}
)

// pythonHas reports whether python3 imports module, asking once.
func pythonHas(module string) bool {
	modulesMu.Lock()
	defer modulesMu.Unlock()
	if ok, seen := modules[module]; seen {
		return ok
	}
	ok := exec.Command("python3", "-W", "ignore", "-c", "import "+module).Run() == nil
	modules[module] = ok
	return ok
}

// skipWithoutModules skips a program whose modules python3 lacks.
func skipWithoutModules(t *testing.T, program string) {
	t.Helper()
	for _, m := range pythonModules[program] {
		if !pythonHas(m) {
			t.Skipf("%s imports %s, which this python3 does not have (removed in Python 3.13)", program, m)
		}
	}
}

// TestAltSolutionsAreGraded checks that every program in solutions/alt is
// in the table at full marks for the exercise its name starts with, and
// that each exercise of altExercises has at least minAlt of them.
func TestAltSolutionsAreGraded(t *testing.T) {
	full := map[string]variant{}
	count := map[string]int{}
	for _, v := range variants {
		if strings.HasPrefix(v.program, "solutions/alt/") {
			if v.hint != "" || v.score != v.max {
				t.Errorf("%s is another correct solution: it must get full marks and no hint", v.program)
			}
			if ex, _, _ := strings.Cut(filepath.Base(v.program), "-"); ex != v.exercise {
				t.Errorf("%s is graded by %s: its name must start with the exercise", v.program, v.exercise)
			}
			full[v.program] = v
			count[v.exercise]++
		}
	}
	files, err := filepath.Glob(filepath.Join(dir, "solutions", "alt", "*.py"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if p := "solutions/alt/" + filepath.Base(f); full[p].program == "" {
			t.Errorf("%s is not graded by the table", p)
		}
	}
	for _, ex := range slices.Concat(altExercises, sbx14AltExercises, mail14AltExercises, rolesAltExercises, parAltExercises) {
		if count[ex] < minAlt {
			t.Errorf("exercise %s has %d other correct solutions in solutions/alt, want at least %d", ex, count[ex], minAlt)
		}
	}
	graded := map[string]bool{}
	for _, v := range variants {
		graded[v.program] = true
	}
	for p := range pythonModules {
		if !graded[p] {
			t.Errorf("pythonModules names %s, which the table does not grade", p)
		}
	}
}
