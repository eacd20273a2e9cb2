package ftp_test

import (
	"fmt"
	"io"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/netrunhq/netrun/internal/steptest"
	"github.com/netrunhq/netrun/steps/ftp"
)

// harness loads and runs scenarios with the ftp plugin.
func harness(t *testing.T) *steptest.Harness {
	t.Helper()
	return steptest.New(t, ftp.Plugin{})
}

// feat is a FEAT reply without MLST (so the library lists with LIST) and
// without UTF8 (so it sends no OPTS).
const feat = "211-Features:\r\n EPSV\r\n PASV\r\n SIZE\r\n211 End\r\n"

// login is the greeting and an anonymous login as the library does it.
func login() steptest.Act {
	return loginAs("anonymous", "anonymous@", feat)
}

// loginAs is the greeting and a login of user with password, then FEAT
// (answered with features) and TYPE I.
func loginAs(user, password, features string) steptest.Act {
	return steptest.Seq(
		steptest.Say("220 fake FTP ready\r\n"),
		steptest.Dialogue("USER "+user, "331 Password please\r\n"),
		steptest.Dialogue("PASS "+password, "230 Logged in\r\n"),
		steptest.Dialogue("FEAT", features),
		steptest.Dialogue("TYPE I", "200 Binary\r\n"),
	)
}

// quit answers QUIT.
func quit() steptest.Act { return steptest.Dialogue("QUIT", "221 Bye\r\n") }

// dataFunc serves a data connection; it returns when it is done with it.
type dataFunc func(c net.Conn) error

// send writes data and closes the connection.
func send(data string) dataFunc {
	return func(c net.Conn) error {
		_, err := io.WriteString(c, data)
		return err
	}
}

// receive reads until the client closes and stores what came in *got.
func receive(got *string) dataFunc {
	return func(c net.Conn) error {
		b, err := io.ReadAll(c)
		*got = string(b)
		return err
	}
}

// passive answers EPSV with a port of a new listener on 127.0.0.1.
func passive(ln *net.Listener) steptest.Act {
	return func(p *steptest.Peer) error {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		*ln = l
		return steptest.Dialogue("EPSV", fmt.Sprintf("229 Entering Extended Passive Mode (|||%d|)\r\n", l.Addr().(*net.TCPAddr).Port))(p)
	}
}

// transfer is EPSV, then cmd answered with 150, the data connection served
// by data, and final on the control connection.
func transfer(cmd string, data dataFunc, final string) steptest.Act {
	var ln net.Listener
	return steptest.Seq(passive(&ln), serveOn(&ln, cmd, data, final))
}

// netListener is a passive listener that an act opened for a later one.
type netListener = net.Listener

// pasvElsewhere answers PASV with a port of a new listener on 127.0.0.1,
// but names the address 10.9.8.7 in the reply.
func pasvElsewhere(ln *net.Listener) steptest.Act {
	return func(p *steptest.Peer) error {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		*ln = l
		port := l.Addr().(*net.TCPAddr).Port
		return steptest.Dialogue("PASV", fmt.Sprintf("227 Entering Passive Mode (10,9,8,7,%d,%d)\r\n", port/256, port%256))(p)
	}
}

// serveOn accepts the data connection on *ln, answers cmd with 150, serves
// the data connection with data, closes it and says final.
func serveOn(ln *net.Listener, cmd string, data dataFunc, final string) steptest.Act {
	return func(p *steptest.Peer) error {
		l := *ln
		defer l.Close()
		_ = l.(*net.TCPListener).SetDeadline(time.Now().Add(5 * time.Second))
		c, err := l.Accept()
		if err != nil {
			return fmt.Errorf("data connection: %w", err)
		}
		defer c.Close()
		if err := steptest.Dialogue(cmd, "150 Opening data connection\r\n")(p); err != nil {
			return err
		}
		if err := data(c); err != nil {
			return err
		}
		_ = c.Close()
		return steptest.Say(final)(p)
	}
}

// itoa is strconv.Itoa.
func itoa(n int) string { return strconv.Itoa(n) }

// lsList is a LIST answer in ls format.
const lsList = "-rw-r--r--    1 0        0             687 Jan 02 03:04 README\r\n" +
	"drwxr-xr-x    2 0        0            4096 Jan 02 03:04 sub dir\r\n" +
	"lrwxrwxrwx    1 0        0               6 Jan 02 03:04 latest -> README\r\n"
