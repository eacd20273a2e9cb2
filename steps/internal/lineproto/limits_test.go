package lineproto

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/engine"
)

// TestFollowerLimits checks each cap of a followed reply: past it Feed
// fails with a Mismatch that names the cap, whatever the pieces' sizes.
func TestFollowerLimits(t *testing.T) {
	// Lines of 60 KiB: under the line cap, over the byte cap in 18 lines.
	wide := strings.Repeat("w", 60<<10)
	for _, tt := range []struct {
		name, feed, msg string
	}{
		{"a line too long", "220-" + strings.Repeat("x", DefaultMaxLine+1), "a line longer than 64 KiB on the control connection"},
		{"too many lines", "220-first\r\n" + strings.Repeat(" more\r\n", MaxReplyLines), fmt.Sprintf("goes on past %d lines", MaxReplyLines)},
		{"too many bytes", "220-first\r\n" + strings.Repeat(wide+"\r\n", MaxReplyBytes/len(wide)+1), "goes on past 1000 lines or 1 MiB"}, // 18 lines: the bytes,
	} {
		for _, piece := range []int{1 << 10, len(tt.feed)} {
			f := &Follower{Proto: "FTP", Where: "the control connection"}
			var err error
			feed := tt.feed
			for err == nil && len(feed) > 0 {
				n := min(piece, len(feed))
				err = f.Feed([]byte(feed[:n]), func(r Reply) { t.Errorf("%s: a reply came: %v", tt.name, r) })
				feed = feed[n:]
			}
			var m *engine.Mismatch
			if !errors.As(err, &m) || !strings.Contains(m.Msg, tt.msg) {
				t.Errorf("%s, pieces of %d: error %v (%T), want a mismatch with %q", tt.name, piece, err, err, tt.msg)
			}
		}
	}
}

// scripted is a Transport whose replies are a script: each Read takes the
// next of reads, and every line written is kept.
type scripted struct {
	reads   []scriptedRead
	written []string
}

// scriptedRead is one Read's outcome.
type scriptedRead struct {
	r   string
	err error
}

func (s *scripted) Write(_ context.Context, _ *engine.Session, req Request) error {
	s.written = append(s.written, req.Line)
	return nil
}

func (s *scripted) Read(context.Context, *engine.Session, Request) (string, []byte, error) {
	if len(s.reads) == 0 {
		return "", nil, io.EOF
	}
	next := s.reads[0]
	s.reads = s.reads[1:]
	return next.r, nil, next.err
}

func (s *scripted) Err() error { return nil }

// TestDialogueBlockCutOff checks that a reply whose data block was cut off
// fails its command and leaves the dialogue unusable, though the
// transport still says it is usable: the next reply would be read from
// the middle of the block.
func TestDialogueBlockCutOff(t *testing.T) {
	cut := errors.New("the block is larger than 100 bytes")
	tr := &scripted{reads: []scriptedRead{{"+OK here", &cutOff{cut}}, {"+OK noop", nil}}}
	d := NewDialogueOver[string](tr, "POP3", "127.0.0.1:110")
	if _, _, err := d.Command(context.Background(), nil, Request{Line: "RETR 1"}); !errors.Is(err, cut) {
		t.Fatalf("RETR: error %v, want the block's", err)
	}
	want := "the POP3 connection to 127.0.0.1:110 cannot be used: the reply to RETR was cut off: " + cut.Error()
	if err := d.Usable(); err == nil || err.Error() != want {
		t.Errorf("Usable after the cut: %v, want %q", err, want)
	}
	if _, _, err := d.Command(context.Background(), nil, Request{Line: "NOOP"}); err == nil || err.Error() != want {
		t.Errorf("NOOP after the cut: %v, want %q", err, want)
	}
	if _, err := d.Quit(context.Background(), 0); !errors.Is(err, errNotSent) {
		t.Errorf("Quit after the cut: %v, want errNotSent", err)
	}
	if strings.Join(tr.written, ",") != "RETR 1" {
		t.Errorf("written %q: nothing may follow the cut", tr.written)
	}
}

// TestDialogueQuitLeftoverFails checks Quit when the reply to a line sent
// alone cannot be read: it fails naming QUIT and the command, keeps the
// cause, and does not send QUIT.
func TestDialogueQuitLeftoverFails(t *testing.T) {
	gone := errors.New("the peer closed the connection")
	tr := &scripted{reads: []scriptedRead{{"", gone}}}
	d := NewDialogueOver[string](tr, "POP3", "127.0.0.1:110")
	if _, err := d.Send(context.Background(), nil, Request{Line: "dele 1"}); err != nil {
		t.Fatal(err)
	}
	_, err := d.Quit(context.Background(), 0)
	if want := "QUIT: reading the reply to DELE: " + gone.Error(); err == nil || err.Error() != want || !errors.Is(err, gone) {
		t.Errorf("Quit: %v, want %q wrapping the cause", err, want)
	}
	if strings.Join(tr.written, ",") != "dele 1" {
		t.Errorf("written %q: QUIT may not be sent", tr.written)
	}
}
