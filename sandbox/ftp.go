package sandbox

import (
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"sync"
	"time"

	ftpserver "github.com/fclairamb/ftpserverlib"
	"github.com/spf13/afero"
)

// ftpIdle is how long an FTP session may stay silent, in seconds, and
// ftpDataWait how long the server waits for a client's passive data
// connection.
const (
	ftpIdle     = int(idleTimeout / time.Second)
	ftpDataWait = 30 * time.Second
)

// serveFTP serves FTP with fclairamb/ftpserverlib over in-memory file
// trees (ftpFiles): on ftp, plain text with AUTH TLS offered (and login
// allowed without it); on ftps, TLS from the first byte. Data connections
// are passive (or active, PORT and EPRT, back to the control connection's
// peer only) on ports the system picks, on the sandbox host only.
func serveFTP(s *Sandbox, l listener) {
	cl := newConnListener(s, l, busyFTP)
	settings := &ftpserver.Settings{
		Listener:                cl,
		Banner:                  "netrun sandbox FTP server",
		IdleTimeout:             ftpIdle,
		ConnectionTimeout:       int(ftpDataWait / time.Second),
		ActiveTransferPortNon20: true,
		TLSRequired:             ftpserver.ClearOrEncrypted,
		// As vsftpd, which changes no line ends by default: files
		// move byte for byte in TYPE A too, and SIZE answers in it.
		DisableASCIIConversion: true,
	}
	if l.implicit {
		settings.TLSRequired = ftpserver.ImplicitEncryption
	}
	srv := ftpserver.NewFtpServer(&ftpDriver{s: s, settings: settings, tls: l.tls})
	if err := srv.Listen(); err == nil {
		_ = srv.Serve() // returns once the listener is closed
	}
	cl.wait()
}

// ftpDriver is the sandbox's side of ftpserverlib: settings, logins and
// file trees, TLS, and passive listeners on the sandbox host.
type ftpDriver struct {
	s        *Sandbox
	settings *ftpserver.Settings
	tls      *tls.Config
}

// GetSettings returns the server's settings.
func (d *ftpDriver) GetSettings() (*ftpserver.Settings, error) { return d.settings, nil }

// ClientConnected gives the greeting's text.
func (d *ftpDriver) ClientConnected(ftpserver.ClientContext) (string, error) {
	return "netrun sandbox FTP server ready", nil
}

// ClientDisconnected does nothing: the sandbox tracks connections itself.
func (d *ftpDriver) ClientDisconnected(ftpserver.ClientContext) {}

// GetTLSConfig returns the certificate signed by the sandbox CA.
func (d *ftpDriver) GetTLSConfig() (*tls.Config, error) { return d.tls, nil }

// AuthUser logs a user in: anonymous (or ftp) with any password gets the
// seed tree read-only; a sandbox user with the right password gets a tree
// of their own.
func (d *ftpDriver) AuthUser(_ ftpserver.ClientContext, user, pass string) (ftpserver.ClientDriver, error) {
	if fs := d.s.ftp.login(user, pass); fs != nil {
		return fs, nil
	}
	return nil, errors.New("wrong user name or password")
}

// WrapPassiveListener puts a passive data connection on the sandbox host.
// The library listens on every interface; the listener returned here
// listens on the sandbox host (loopback by default) instead, and closes the
// library's as soon as the library waits for the client (it set its
// accept deadline on it then; nothing is ever accepted on it).
func (d *ftpDriver) WrapPassiveListener(orig net.Listener) (net.Listener, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(d.s.host, "0"))
	if err != nil {
		return nil, err
	}
	if !d.s.track(ln) {
		_ = ln.Close()
		return nil, errClosed
	}
	return &passiveListener{Listener: ln, orig: orig, s: d.s}, nil
}

// passiveListener is a passive data listener on the sandbox host.
type passiveListener struct {
	net.Listener
	orig net.Listener
	s    *Sandbox
	once sync.Once
}

// Accept waits for the client's data connection, at most ftpDataWait.
func (p *passiveListener) Accept() (net.Conn, error) {
	_ = p.orig.Close()
	if tl, ok := p.Listener.(*net.TCPListener); ok {
		_ = tl.SetDeadline(time.Now().Add(ftpDataWait))
	}
	raw, err := p.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if !p.s.track(raw) {
		_ = raw.Close()
		return nil, errClosed
	}
	c := &ownedConn{Conn: &idleConn{Conn: raw, idle: p.s.idle}}
	c.release = func() { p.s.untrack(raw) }
	return c, nil
}

// Close closes both listeners.
func (p *passiveListener) Close() error {
	_ = p.orig.Close()
	p.once.Do(func() { p.s.untrack(p.Listener) })
	return p.Listener.Close()
}

// ftpFiles are the FTP trees: the seed that anonymous users read, and a
// writable tree for each sandbox user (memFS), which starts as a copy of
// the seed and lives as long as the sandbox.
type ftpFiles struct {
	seed      afero.Fs
	passwords map[string]string
	mu        sync.Mutex
	homes     map[string]afero.Fs
	// store is what the users' trees share: what they hold counts against
	// its quota (ftpQuota).
	store *memStore
}

// newFTPFiles makes the trees for users (name to password).
func newFTPFiles(users map[string]string) *ftpFiles {
	f := &ftpFiles{seed: afero.NewMemMapFs(), passwords: users, homes: map[string]afero.Fs{}, store: &memStore{q: &quota{max: ftpQuota}}}
	seedFTP(f.seed)
	return f
}

// login returns the tree of user, or nil when the login is refused.
func (f *ftpFiles) login(user, pass string) afero.Fs {
	if u := strings.ToLower(user); u == "anonymous" || u == "ftp" {
		return afero.NewReadOnlyFs(f.seed)
	}
	want, ok := f.passwords[user]
	if !ok || pass != want {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	home, ok := f.homes[user]
	if !ok {
		mem := newMemFS(f.store)
		seedFTP(mem)
		home = mem
		f.homes[user] = home
	}
	return home
}
