package smtp

import (
	"github.com/netrunhq/netrun/steps/internal/lineproto"
	"github.com/netrunhq/netrun/steps/internal/netconn"
)

// ConnectResult is the result of connect: `result.remote`, `result.local`,
// `result.duration`, `result.tls` (when TLS is up, implicit or after
// STARTTLS), `result.greeting`, `result.capabilities` and `result.auth`.
// Duration runs until the session is ready: TLS, the greeting, EHLO,
// STARTTLS and AUTH included.
type ConnectResult struct {
	netconn.ConnectResult
	// Greeting is the server's first reply, such as 220 mail.example.test
	// ESMTP.
	Greeting lineproto.Reply `expr:"greeting" json:"greeting"`
	// Capabilities are the lines of the last EHLO reply after the first,
	// as the server wrote them: "PIPELINING", "SIZE 10240000",
	// "AUTH PLAIN LOGIN". Empty when the server only took HELO.
	Capabilities []string `expr:"capabilities" json:"capabilities"`
	// Auth is the mechanism used to authenticate, such as "PLAIN"; empty
	// without auth.
	Auth string `expr:"auth" json:"auth"`
}

// MailResult is the result of `send: { mail }`.
type MailResult struct {
	// Replies are every reply of the transaction in order: MAIL FROM, each
	// RCPT TO, DATA, and the reply to the message.
	Replies []lineproto.Reply `expr:"replies" json:"replies"`
	// Reply is the last reply: the server's answer to the message, such as
	// 250 2.0.0 Ok: queued as 4BZ.
	Reply lineproto.Reply `expr:"reply" json:"reply"`
	// MessageID is the Message-ID of the mail sent, angle brackets
	// included, as the parsed mail of pop3 and imap shows it.
	MessageID string `expr:"message_id" json:"message_id"`
	// Size is the size of the message in bytes, before dot-stuffing.
	Size int `expr:"size" json:"size"`
}

// add records r, the latest reply of the transaction.
func (m *MailResult) add(r lineproto.Reply) {
	m.Replies = append(m.Replies, r)
	m.Reply = r
}
