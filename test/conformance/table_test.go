package conformance_test

import (
	"net"
	"os"
	"testing"

	"github.com/netrunhq/netrun/sandbox"
)

// allowed lists the differences the table accepts, by
// "protocol/exchange/field" (field: class, shape or value), each with the
// reason. Only a difference a client cannot rely on belongs here.
var allowed = map[string]string{
	// go-imap's server (v2.0.0-beta.8) answers a SEARCH key it cannot
	// parse with NO [SERVERBUG] rather than BAD: its readSearchKey returns
	// a plain error, which imapserver turns into "Internal server error"
	// before the sandbox's Search is called. Needs an upstream fix.
	"imap/search bad/class": "go-imap answers NO where Dovecot answers BAD",
	"imap/search bad/shape": "go-imap answers NO where Dovecot answers BAD",
	// After MODE READER, INN's nnrpd says "200 … ready (no posting)": 200
	// because readers.conf lets a logged-in user post. The sandbox's 201
	// says what RFC 3977 (section 5.1.1) asks for a client that may not
	// post yet; nntplib only keeps the text, and netrun reads CAPABILITIES.
	"nntp/getwelcome/class": "INN's 200 contradicts its own text; the sandbox follows RFC 3977",
	// vsftpd does not implement MLSD (RFC 3659) and answers 500; most
	// servers (ProFTPD, Pure-FTPd, FileZilla Server) have it, and so does
	// the sandbox, which keeps it.
	"ftp/mlsd/class": "vsftpd has no MLSD; the sandbox keeps RFC 3659's",
	"ftp/mlsd/shape": "vsftpd has no MLSD; the sandbox keeps RFC 3659's",
	"ftp/mlsd/value": "vsftpd has no MLSD; the sandbox keeps RFC 3659's",

	// KNOWN SANDBOX BUGS, listed so that the table runs in CI while they
	// wait for a fix; each entry goes when its bug is fixed (the log of a
	// passing run shows every allowed difference still seen).
	//
	// The sandbox's FTP server (ftpserverlib): MKD answers 257 Created dir
	// "/x", which ftplib's parse257 reads as "" (RFC 959 wants 257 "/x"
	// first); ftpserverlib writes that reply itself.
	// vsftpd (require_ssl_reuse=YES, its default) refuses with 522 a TLS
	// data connection that does not resume the control connection's TLS
	// session, which Python's FTP_TLS does not do; the sandbox takes it,
	// so a student's FTPS program passes on it and fails on vsftpd.
	"ftp/stock FTP_TLS nlst/class": "the sandbox does not require TLS session reuse (KNOWN DIFFERENCE)",
	"ftp/stock FTP_TLS nlst/shape": "the sandbox does not require TLS session reuse (KNOWN DIFFERENCE)",
	// NLST of a folder that does not exist is an empty list on vsftpd (226,
	// no names) and 450 on the sandbox, which ftplib raises.
	"ftp/nlst missing folder/class": "the sandbox answers 450 where vsftpd lists nothing (KNOWN BUG)",
	"ftp/nlst missing folder/shape": "the sandbox answers 450 where vsftpd lists nothing (KNOWN BUG)",
	"ftp/nlst missing folder/value": "the sandbox answers 450 where vsftpd lists nothing (KNOWN BUG)",
	"ftp/mkd/value":                 "ftpserverlib's 257 reply is not 257 \"path\" (KNOWN BUG)",
}

// hostPort splits a "host:port" address into command line arguments.
func hostPort(t *testing.T, a string) []string {
	t.Helper()
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		t.Fatalf("address %q: %v", a, err)
	}
	return []string{"--host", host, "--port", port}
}

func port(t *testing.T, a string) string {
	t.Helper()
	_, p, err := net.SplitHostPort(a)
	if err != nil {
		t.Fatalf("address %q: %v", a, err)
	}
	return p
}

// login is the common tail of a command line.
func login(ca, user, password, run string) []string {
	return []string{"--ca", ca, "--user", user, "--password", password, "--run", run}
}

// mailEnv returns the real mail servers' login, CA and TLS mode.
func mailEnv() (user, password, ca, tlsMode string) {
	tlsMode = os.Getenv("NETRUN_SMTP_TLS")
	if tlsMode == "" {
		tlsMode = "starttls"
	}
	return os.Getenv("NETRUN_MAIL_USER"), os.Getenv("NETRUN_MAIL_PASSWORD"), os.Getenv("NETRUN_CA"), tlsMode
}

// pop3User is the user whose maildrop the POP3 exchanges empty and fill:
// one that no other test writes to (Dovecot's alice is shared).
func pop3User() string {
	if u := os.Getenv("NETRUN_CONFORMANCE_POP3_USER"); u != "" {
		return u
	}
	return "bob"
}

// implicitPort adds the implicit TLS port (the seed course's SMTP_SSL,
// POP3_SSL, IMAP4_SSL) to both command lines: the sandbox's service, and
// the real server's from env (test/realservers/mail-up.sh exports it).
// When the real server is up but env is not set, neither run has it.
func implicitPort(t *testing.T, s *sandbox.Sandbox, service, env string, sb, real *target) {
	t.Helper()
	flag := "--ssl-port"
	if service == "smtps" {
		flag = "--tls-port"
	}
	if real != nil {
		a := os.Getenv(env)
		if a == "" {
			t.Logf("%s is not set: implicit TLS is not compared", env)
			return
		}
		real.args = append(real.args, flag, port(t, a))
	}
	sb.args = append(sb.args, flag, port(t, addr(t, s, service)))
}

// TestConformancePOP3 compares poplib against the sandbox and Dovecot, on
// an empty and a non-empty maildrop, over STLS.
func TestConformancePOP3(t *testing.T) {
	t.Parallel() // each uses its own user, folder or group on the real servers
	s := newSandbox(t)
	run := runToken(t)
	sb := target{"sandbox", append(append(hostPort(t, addr(t, s, "pop3")), "--tls", "starttls", "--imap-port", port(t, addr(t, s, "imap"))),
		login(addr(t, s, "ca"), "bob", "secret", run)...)}
	var real *target
	if realServers(t, "mail") {
		_, password, ca, _ := mailEnv()
		real = &target{"Dovecot", append(append(hostPort(t, os.Getenv("NETRUN_POP3")), "--tls", "starttls", "--imap-port", port(t, os.Getenv("NETRUN_IMAP"))),
			login(ca, pop3User(), password, run)...)}
	}
	implicitPort(t, s, "pop3s", "NETRUN_POP3S", &sb, real)
	conform(t, "pop3", "pop3.py", sb, real)
}

// TestConformanceIMAP compares imaplib against the sandbox and Dovecot, on
// an empty and a non-empty folder made for the run, over STARTTLS.
func TestConformanceIMAP(t *testing.T) {
	t.Parallel() // each uses its own user, folder or group on the real servers
	s := newSandbox(t)
	run := runToken(t)
	sb := target{"sandbox", append(append(hostPort(t, addr(t, s, "imap")), "--tls", "starttls"),
		login(addr(t, s, "ca"), "alice", "secret", run)...)}
	var real *target
	if realServers(t, "mail") {
		user, password, ca, _ := mailEnv()
		real = &target{"Dovecot", append(append(hostPort(t, os.Getenv("NETRUN_IMAP")), "--tls", "starttls"),
			login(ca, user, password, run)...)}
	}
	implicitPort(t, s, "imaps", "NETRUN_IMAPS", &sb, real)
	conform(t, "imap", "imap.py", sb, real)
}

// TestConformanceSMTP compares smtplib against the sandbox and Postfix:
// the plain port with STARTTLS and, when NETRUN_SMTPS gives Postfix's
// implicit TLS port, SMTP_SSL.
func TestConformanceSMTP(t *testing.T) {
	t.Parallel() // each uses its own user, folder or group on the real servers
	s := newSandbox(t)
	run := runToken(t)
	sb := target{"sandbox", append(append(hostPort(t, addr(t, s, "smtp")), "--to", "alice@example.test"),
		login(addr(t, s, "ca"), "alice", "secret", run)...)}
	var real *target
	if realServers(t, "mail") {
		user, password, ca, _ := mailEnv()
		to := os.Getenv("NETRUN_MAIL_TO")
		real = &target{"Postfix", append(append(hostPort(t, os.Getenv("NETRUN_SMTP")), "--to", to), login(ca, user, password, run)...)}
	}
	implicitPort(t, s, "smtps", "NETRUN_SMTPS", &sb, real)
	conform(t, "smtp", "smtp.py", sb, real)
}

// TestConformanceNNTP compares nntplib against the sandbox and INN: reading
// the seed articles, empty ranges and patterns, and a post over STARTTLS.
func TestConformanceNNTP(t *testing.T) {
	t.Parallel() // each uses its own user, folder or group on the real servers
	s := newSandbox(t)
	run := runToken(t)
	sb := target{"sandbox", append(hostPort(t, addr(t, s, "nntp")), login(addr(t, s, "ca"), "alice", "secret", run)...)}
	var real *target
	if realServers(t, "nntp") {
		real = &target{"INN", append(hostPort(t, os.Getenv("NETRUN_NNTP")),
			login(os.Getenv("NETRUN_CA"), os.Getenv("NETRUN_NNTP_USER"), os.Getenv("NETRUN_NNTP_PASSWORD"), run)...)}
	}
	conform(t, "nntp", "nntp.py", sb, real)
}

// TestConformanceFTP compares ftplib against the sandbox and vsftpd: an
// anonymous session, and the user's in a folder made for the run, over
// explicit FTPS.
func TestConformanceFTP(t *testing.T) {
	t.Parallel() // each uses its own user, folder or group on the real servers
	s := newSandbox(t)
	run := runToken(t)
	sb := target{"sandbox", append(append(hostPort(t, addr(t, s, "ftp")), "--tls", "starttls"),
		login(addr(t, s, "ca"), "alice", "secret", run)...)}
	var real *target
	if realServers(t, "ftp") {
		real = &target{"vsftpd", append(append(hostPort(t, os.Getenv("NETRUN_FTP")), "--tls", "starttls"),
			login(os.Getenv("NETRUN_CA"), os.Getenv("NETRUN_FTP_USER"), os.Getenv("NETRUN_FTP_PASSWORD"), run)...)}
	}
	conform(t, "ftp", "ftp.py", sb, real)
}
