package sandbox

import (
	"net"
	"time"
)

// serveDaytime serves daytime (RFC 867): the date and time as one line,
// then the close.
func serveDaytime(s *Sandbox, l listener) {
	serveConns(s, l, nil, func(c net.Conn) {
		_, _ = c.Write([]byte(time.Now().UTC().Format(time.RFC1123) + "\r\n"))
	})
}
