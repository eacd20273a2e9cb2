package teaching

import (
	"os/exec"
)

// rolesVariants are the programs of the issue-14 exercises in which netrun
// plays a server for a client program (chat_client, tls_client,
// ws_client) or a client of the WebSocket and HTTP servers (ws_echo_server,
// http_server). They join the table before any test runs.
var rolesVariants = []variant{
	{"chat_client", "solutions/chat_client.py", 5, 5, ""},
	{"chat_client", "solutions/alt/chat_client-input-loop.py", 5, 5, ""},
	{"chat_client", "solutions/alt/chat_client-prompt.py", 5, 5, ""},
	{"chat_client", "broken/chat_client-bye-not-sent.py", 4, 5, "The server never got \"bye\""},
	{"chat_client", "broken/chat_client-no-newline.py", 1, 5, "send (text + \"\\n\").encode()"},
	{"chat_client", "broken/chat_client-prints-bytes.py", 4, 5, "which print as b'...'"},

	{"tls_client", "solutions/tls_client.py", 5, 5, ""},
	{"tls_client", "solutions/alt/tls_client-sslcontext.py", 5, 5, ""},
	{"tls_client", "solutions/alt/tls_client-asyncio.py", 5, 5, ""},
	{"tls_client", "broken/tls_client-host-as-name.py", 2, 5, "not the address you connect to"},
	{"tls_client", "broken/tls_client-no-hostname-check.py", 3, 5, "check_hostname = False"},
	{"tls_client", "broken/tls_client-unverified.py", 3, 5, "ssl._create_unverified_context()"},

	{"ws_client", "solutions/ws_client.py", 4, 4, ""},
	{"ws_client", "solutions/alt/ws_client-seed.py", 4, 4, ""},
	{"ws_client", "solutions/alt/ws_client-no-context-manager.py", 4, 4, ""},
	{"ws_client", "broken/ws_client-no-await.py", 1, 4, "await websocket.send(\"hello\")"},
	{"ws_client", "broken/ws_client-seed-uri.py", 0, 4, "not the course's ws://localhost:8765"},

	{"ws_echo_server", "solutions/ws_echo_server.py", 4, 4, ""},
	{"ws_echo_server", "solutions/alt/ws_echo_server-seed.py", 4, 4, ""},
	{"ws_echo_server", "solutions/alt/ws_echo_server-recv-loop.py", 4, 4, ""},
	{"ws_echo_server", "broken/ws_echo_server-answers-once.py", 1, 4, "async for message in websocket"},
	{"ws_echo_server", "broken/ws_echo_server-seed-port.py", 0, 4, "not the course's fixed 8765"},
	{"ws_echo_server", "broken/ws_echo_server-str-reply.py", 3, 4, "not f\"{message}\""},

	{"http_server", "solutions/http_server.py", 6, 6, ""},
	{"http_server", "solutions/alt/http_server-socket.py", 6, 6, ""},
	{"http_server", "solutions/alt/http_server-streamhandler.py", 6, 6, ""},
	{"http_server", "broken/http_server-always-200.py", 5, 6, "Only /hello is a page"},
	{"http_server", "broken/http_server-no-content-length.py", 0, 6, "Content-Length header"},
	{"http_server", "broken/http_server-not-decoded.py", 5, 6, "The name comes URL-encoded"},
	{"http_server", "broken/http_server-str-length.py", 5, 6, "len() of the str counts characters"},
}

// wsPython is an interpreter that imports websockets, for the ws_client
// and ws_echo_server exercises (their scenarios read NETRUN_PYTHON): python3
// when it does, else Debian's /usr/bin/python3 (python3-websockets) when a
// version manager's python3 comes first in PATH; "" when none does, and
// those gradings fail, saying that websockets is missing.
func wsPython() string {
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(p, "-c", "import websockets").Run() == nil {
			return p
		}
	}
	return ""
}

// rolesAltExercises are the exercises of rolesVariants that must have
// other correct solutions in solutions/alt.
var rolesAltExercises = []string{"chat_client", "tls_client", "ws_client", "ws_echo_server", "http_server"}
