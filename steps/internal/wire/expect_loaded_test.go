package wire

import "testing"

// loaded builds the Matcher of a literal expect once, and drops the YAML
// nodes; an expect with {{ }} is resolved at each step.
func TestExpectLoaded(t *testing.T) {
	for _, tc := range []struct {
		src   string
		fixed bool
	}{
		{`{ line: true, equals: ping 1 }`, true},
		{`{ until: "\r\n\r\n", match: '^HTTP/1\.[01] 200', reject: '5\d\d' }`, true},
		{`{ bytes: 4, contains: ab }`, true},
		{`hello`, true},
		{`{ line: true, equals: "{{ x }}" }`, false},
		{`{ bytes: "{{ n }}" }`, false},
	} {
		var e Expect
		if err := loadYAML(t, tc.src, &e); err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		e.loaded()
		if e.node != nil || e.keys != nil || (e.fixed != nil) != tc.fixed {
			t.Errorf("%s: node %v, keys %v, fixed %v; want fixed %v", tc.src, e.node != nil, e.keys != nil, e.fixed != nil, tc.fixed)
		}
		if !tc.fixed {
			continue
		}
		a, _ := e.Resolve(nil)
		b, _ := e.Resolve(nil)
		if a == b || a == e.fixed || a.frame != e.fixed.frame || a.equals != e.fixed.equals {
			t.Errorf("%s: each step must read with its own copy of the fixed Matcher", tc.src)
		}
		if (a.match != nil && !a.matchScan.known) || (a.reject != nil && !a.rejectScan.known) {
			t.Errorf("%s: the search windows must be worked out once, at load", tc.src)
		}
	}
	var e Expect
	if err := loadYAML(t, `{ line: true, equals: ok }`, &e); err != nil {
		t.Fatal(err)
	}
	e.loaded()
	if m, _ := e.Resolve(nil); m.frame != frameLine || m.equals == nil || *m.equals != "ok" {
		t.Errorf("fixed matcher %+v", m)
	}
}
