package bytesize

import "testing"

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"4096", 4096}, {"64KiB", 64 << 10}, {"1 MiB", 1 << 20}, {"1mib", 1 << 20},
		{"10KB", 10000}, {"2MB", 2000000}, {"1GiB", 1 << 30}, {"1k", 1024},
		{"0", -1}, {"-1", -1}, {"2GiB", -1}, {"lots", -1}, {"1 TB", -1}, {"", -1},
	} {
		got, err := Parse(tt.in)
		if tt.want < 0 {
			if err == nil {
				t.Errorf("%q: got %d, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q: got %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	if _, err := Parse("1 TB"); err == nil || err.Error() != `"1 TB" is not a size: use a number of bytes, or a number with a unit: B; KiB, MiB, GiB or K, M, G (1024s); KB, MB, GB (1000s)` {
		t.Errorf("1 TB: %v", err)
	}
	for _, in := range []string{"1b", "2 B", "1g", "4m", "1GB", "1gb"} {
		if _, err := Parse(in); err != nil {
			t.Errorf("%q: %v", in, err)
		}
	}
	for n, want := range map[int]string{1 << 20: "1 MiB", 64 << 10: "64 KiB", 1: "1 byte", 1500: "1500 bytes"} {
		if got := Format(n); got != want {
			t.Errorf("Format(%d) = %q, want %q", n, got, want)
		}
	}
}
