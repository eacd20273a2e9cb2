package sandbox

import (
	"crypto/tls"
	"net"

	"github.com/netrunhq/netrun/sandbox/internal/nntpd"
)

// newsService is the NNTP server over the sandbox's news store: like the
// mail servers, its certificate is signed by the sandbox CA and used from
// the first byte (nntps) or offered with STARTTLS (nntp).
func newsService(implicit bool) service {
	return mailService{implicit: implicit, serve: serveNNTP}
}

// serveNNTP serves NNTP with the sandbox's own server; nntp and nntps
// share one store, so that an article posted on one is read on the other.
func serveNNTP(s *Sandbox, ln net.Listener, cfg *tls.Config, implicit bool) {
	srv := &nntpd.Server{Store: s.news, TLS: cfg}
	st := stream{handle: func(_ *Sandbox, c net.Conn) { srv.ServeConn(c) }, busy: busyNNTP}
	st.accept(s, ln, implicitTLS(cfg, implicit))
}
