// Package all is the registry of every protocol netrun ships: the CLI's,
// and that of the tests and benchmarks that must see what users see.
package all

import (
	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/daytime"
	"github.com/netrunhq/netrun/steps/ftp"
	httpstep "github.com/netrunhq/netrun/steps/httpstep"
	"github.com/netrunhq/netrun/steps/imap"
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/mailform"
	"github.com/netrunhq/netrun/steps/internal/netconn"
	"github.com/netrunhq/netrun/steps/internal/tlsconf"
	"github.com/netrunhq/netrun/steps/internal/web"
	"github.com/netrunhq/netrun/steps/internal/wire"
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
		daytime.Plugin{},
		program.New(),
	)
}

// Schemas returns the JSON Schema fragments of the packages the plugins
// share (steps/internal), whose definitions the plugins' fragments refer
// to, for package schema to assemble with the plugins' own.
func Schemas() [][]byte {
	return [][]byte{tlsconf.Schema(), wire.Schema(), netconn.Schema(), lineproto.Schema(), mailform.Schema(), web.Schema()}
}
