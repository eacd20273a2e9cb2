package sandbox

import "github.com/netrunhq/netrun/sandbox/internal/nntpd"

// serveNNTP serves NNTP with the sandbox's own server over the sandbox's
// news store; nntp and nntps share it, so that an article posted on one is
// read on the other.
func serveNNTP(s *Sandbox, l listener) {
	srv := &nntpd.Server{Store: s.news, TLS: l.tls}
	serveConns(s, l, busyNNTP, srv.ServeConn)
}
