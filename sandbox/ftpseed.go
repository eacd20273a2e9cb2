package sandbox

import (
	"github.com/spf13/afero"
)

// ftpReadme is /pub/README on the sandbox's FTP servers: stable text that
// exercises and scenarios download and check (its SHA-256 is in
// scenarios/ftp_anonymous.yaml). test/realservers/ftp-README is the same
// file, for real servers; a test keeps the two equal.
const ftpReadme = `Welcome to netrun's FTP test tree.

This is /pub/README. To read it, your client connected to the control
port, logged in (anonymously: user "anonymous", any password), changed
to the directory pub (CWD pub), opened a data connection in passive mode
(EPSV or PASV), and asked for the file (RETR README). The server sent the
file on the data connection and closed it; "226" on the control
connection says that it arrived whole.

Transfer it in binary mode (TYPE I) to get these bytes exactly.
Anonymous users may read but not write; users who log in with a
password (on the sandbox: alice or bob, password "secret") have a tree
of their own where they may also upload, rename and delete.
`

// ftpBinary is /pub/bytes.bin: every byte value, four times (1 KiB). In
// ASCII mode (TYPE A) its line feeds become CR LF, so that the copy is
// 1028 bytes long and no longer the same file.
func ftpBinary() []byte {
	b := make([]byte, 1024)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

// ftpLines is /pub/lines.txt, the file of the teaching exercise
// ftp_download: text that only a binary download keeps as it is. Its lines
// end with CR LF, and its last line has none, so that ftplib's retrlines()
// (ASCII mode, each line handed over without its ending) and a file
// written line by line with "\n" give other bytes. It is ASCII, so that a
// text-mode download fails on the bytes, not on a decoding error.
const ftpLines = "This is /pub/lines.txt, written on Windows: each line ends with\r\n" +
	"CR LF (\\r\\n), and the last line has no line end at all.\r\n" +
	"\r\n" +
	"Downloaded in binary mode (TYPE I: ftplib's retrbinary), into a file\r\n" +
	"opened with \"wb\", it arrives byte for byte. Line by line in ASCII\r\n" +
	"mode (retrlines), each line loses its ending, and writing the lines\r\n" +
	"back with \"\\n\" makes another file.\r\n" +
	"\tThis line starts with a tab and ends with three spaces.   \r\n" +
	"The last line, without a line end."

// seedFTP writes the seed tree into fs: /pub/README, /pub/bytes.bin and
// /pub/lines.txt.
func seedFTP(fs afero.Fs) {
	// A MemMapFs does not fail these.
	_ = fs.MkdirAll("/pub", 0o755)
	_ = afero.WriteFile(fs, "/pub/README", []byte(ftpReadme), 0o644)
	_ = afero.WriteFile(fs, "/pub/bytes.bin", ftpBinary(), 0o644)
	_ = afero.WriteFile(fs, "/pub/lines.txt", []byte(ftpLines), 0o644)
}
