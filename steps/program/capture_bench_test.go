package program

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkOutputWrite measures what keeping a program's output costs per
// byte, with log lines as servers print them: without exceptions, and with
// a line that names an error every 50 lines, which the exception scan
// then matches.
func BenchmarkOutputWrite(b *testing.B) {
	for _, every := range []int{0, 50} {
		var lines strings.Builder
		for i := 1; lines.Len() < 32<<10; i++ {
			if every > 0 && i%every == 0 {
				fmt.Fprintf(&lines, "ConnectionResetError: [Errno 104] Connection reset by peer %d\n", i)
			} else {
				fmt.Fprintf(&lines, "2026-12-07 18:00:%02d INFO served client 127.0.0.1:%d with 42 bytes, no error\n", i%60, 40000+i)
			}
		}
		chunk := []byte(lines.String())
		b.Run(fmt.Sprintf("error every %d lines", every), func(b *testing.B) {
			b.SetBytes(int64(len(chunk)))
			o := newOutput()
			buf := make([]byte, len(chunk))
			for b.Loop() {
				write(o, chunk)
				o.takePending()
				_, _ = o.Read(buf)
				o.takeExceptions()
			}
		})
	}
}

// BenchmarkOutputFlood measures keeping the output of a program that
// floods stdout while no expect reads it: 32 KiB writes, as drain makes
// them, past the 1 MiB unread queue.
func BenchmarkOutputFlood(b *testing.B) {
	chunk := []byte(strings.Repeat("y\n", 16<<10))
	b.SetBytes(int64(len(chunk)))
	o := newOutput()
	for b.Loop() {
		write(o, chunk)
		o.takePending()
		o.takeDropped()
		o.takeExceptions()
	}
}
