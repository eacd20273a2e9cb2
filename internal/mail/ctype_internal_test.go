package mail

import "testing"

func TestContentTypeByName(t *testing.T) {
	for name, want := range map[string]string{
		"notes.TXT": "text/plain", "a.tgz": "application/gzip", "report.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"photo.JPEG": "image/jpeg", "song.mp3": "audio/mpeg", "blob": "application/octet-stream", "x.eml": "application/octet-stream",
	} {
		if got := contentTypeByName(name); got != want {
			t.Errorf("contentTypeByName(%q) = %q, want %q", name, got, want)
		}
	}
}
