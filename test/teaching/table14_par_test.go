package teaching

// The exercises of issue 14 that use parallel blocks and fails (several
// clients at once, a chat room, a TLS server), in a file of their own.

// parAltExercises are the exercises of variantsConcurrent that must have
// other correct solutions in solutions/alt.
var parAltExercises = []string{"threading_server", "chat_room", "tls_server"}

// variantsConcurrent are the programs of those exercises and their grades.
var variantsConcurrent = []variant{
	// 6 points: the second client answered while the first is silent (2),
	// the first client's lines echoed (1 + 1), 20 clients at once (2). A
	// server that serves one client at a time keeps the echo points only.
	{"threading_server", "solutions/threading_server.py", 6, 6, ""},
	{"threading_server", "broken/threading_server-single-thread.py", 2, 6, "serves one client at a time"},
	{"threading_server", "broken/threading_server-join.py", 2, 6, "without join()"},
	{"threading_server", "broken/threading_server-tcpserver.py", 2, 6, "socketserver.ThreadingTCPServer"},
	{"threading_server", "solutions/alt/threading_server-asyncio.py", 6, 6, ""},
	{"threading_server", "solutions/alt/threading_server-thread-per-client.py", 6, 6, ""},

	// 11 points: each line reaches the two others (6), never its sender
	// (3, checked only where lines are relayed), and the room works after
	// a client left (2).
	{"chat_room", "solutions/chat_room.py", 11, 11, ""},
	{"chat_room", "broken/chat_room-echoes-sender.py", 8, 11, "skip the connection it came from"},
	{"chat_room", "broken/chat_room-never-removes.py", 9, 11, "remove it from the list"},
	{"chat_room", "broken/chat_room-single-thread.py", 0, 11, "a silent client must not stop the others"},
	{"chat_room", "solutions/alt/chat_room-select.py", 11, 11, ""},
	{"chat_room", "solutions/alt/chat_room-socketserver.py", 11, 11, ""},

	// 7 points: a verified TLS session (1), lines echoed over it (2 + 1),
	// a plain-text client refused (1), and the server still serving after
	// it (2).
	{"tls_server", "solutions/tls_server.py", 7, 7, ""},
	{"tls_server", "broken/tls_server-plain.py", 0, 7, "context.wrap_socket(conn, server_side=True)"},
	{"tls_server", "broken/tls_server-dies-on-plain-client.py", 5, 7, "Catch ssl.SSLError"},
	{"tls_server", "solutions/alt/tls_server-wrapped-listener.py", 7, 7, ""},
	{"tls_server", "solutions/alt/tls_server-asyncio.py", 7, 7, ""},
}
