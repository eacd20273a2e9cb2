// Package all is the registry of every protocol netrun ships: the CLI's,
// and that of the tests and benchmarks that must see what users see.
package all

import (
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/ftp"
	httpstep "github.com/netrunhq/netrun/steps/httpstep"
	"github.com/netrunhq/netrun/steps/imap"
	"github.com/netrunhq/netrun/steps/nntp"
	"github.com/netrunhq/netrun/steps/pop3"
	"github.com/netrunhq/netrun/steps/program"
	"github.com/netrunhq/netrun/steps/smtp"
	"github.com/netrunhq/netrun/steps/tcp"
	"github.com/netrunhq/netrun/steps/udp"
	"github.com/netrunhq/netrun/steps/ws"
)

// Registry returns a registry of every plugin. Adding a protocol means one
// line here.
func Registry() (*engine.Registry, error) {
	return engine.NewRegistry(
		tcp.Plugin{},
		udp.Plugin{},
		smtp.Plugin{},
		pop3.Plugin{},
		imap.Plugin{},
		ftp.Plugin{},
		httpstep.Plugin{},
		ws.Plugin{},
		nntp.Plugin{},
		program.New(),
	)
}
