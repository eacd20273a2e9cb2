package program

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  string
	}{
		{in: "python3 -u server.py", want: []string{"python3", "-u", "server.py"}},
		{in: "  a \t b\n c  ", want: []string{"a", "b", "c"}},
		{in: "", want: nil},
		{in: "   ", want: nil},
		{in: `'my server.py' x`, want: []string{"my server.py", "x"}},
		{in: `"my server.py"`, want: []string{"my server.py"}},
		{in: `a'b c'"d"e`, want: []string{"ab cde"}},
		{in: `'' ""`, want: []string{"", ""}},
		{in: `my\ server.py`, want: []string{"my server.py"}},
		{in: `\'quoted\'`, want: []string{"'quoted'"}},
		{in: `'\n stays'`, want: []string{`\n stays`}},
		{in: `"a \"b\" \\ \$x \n"`, want: []string{`a "b" \ $x \n`}},
		{in: `"it's"`, want: []string{"it's"}},
		{in: `'say "hi"'`, want: []string{`say "hi"`}},
		{in: "a\\\nb", want: []string{"ab"}},
		{in: `$HOME > out | x`, want: []string{"$HOME", ">", "out", "|", "x"}},
		{in: `echo 你好 "世 界"`, want: []string{"echo", "你好", "世 界"}},
		{in: `'abc`, err: "unclosed single quote at character 1"},
		{in: `x "abc`, err: "unclosed double quote at character 3"},
		{in: `abc\`, err: "lone backslash"},
	} {
		got, err := Split(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Split(%q) error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Split(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
