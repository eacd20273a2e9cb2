package teaching

import "slices"

// variant is a program of the pack and what grading must give it.
type variant struct {
	exercise string
	// program is the file under scenarios/teaching: solutions/NAME.py,
	// solutions/alt/NAME-STYLE.py (another correct solution) or
	// broken/NAME-BUG.py.
	program string
	// score is the score it must get; max the scenario's maximum.
	score, max float64
	// hint is a text that the hint of a failed step must hold.
	hint string
}

// variants is every reference solution and broken variant of the pack.
var variants = slices.Concat(firstPack, sbx14Variants, mail14Variants, rolesVariants, variantsConcurrent)

// firstPack is the programs of the first pack's exercises.
var firstPack = []variant{
	{"udp_server", "solutions/udp_server.py", 5, 5, ""},
	{"udp_server", "broken/udp_server-answers-once.py", 2, 5, "while True"},
	{"udp_server", "broken/udp_server-str-not-bytes.py", 0, 5, "encoded to bytes"},
	{"udp_server", "broken/udp_server-reply-from-new-socket.py", 0, 5, "on the socket you bound"},
	{"udp_server", "broken/udp_server-timestamp-answer.py", 3, 5, "must be the text \"i love me\""},
	{"udp_server", "broken/udp_server-compares-bytes.py", 0, 5, "b\"i love you\" == \"i love you\" is False"},
	{"udp_server", "solutions/alt/udp_server-socketserver.py", 5, 5, ""},
	{"udp_server", "solutions/alt/udp_server-with-newline.py", 5, 5, ""},
	{"udp_server", "solutions/alt/udp_server-seed-v03.py", 5, 5, ""},

	{"udp_client", "solutions/udp_client.py", 5, 5, ""},
	{"udp_client", "broken/udp_client-port-is-str.py", 0, 5, "must be a number"},
	{"udp_client", "broken/udp_client-prints-own-message.py", 3, 5, "did not print the server's reply"},
	{"udp_client", "broken/udp_client-str-not-bytes.py", 0, 5, "\"i love you\".encode()"},
	{"udp_client", "broken/udp_client-prints-tuple.py", 3, 5, "the tuple that recvfrom() returns"},
	{"udp_client", "broken/udp_client-prints-bytes.py", 3, 5, "show as b'...'"},
	{"udp_client", "solutions/alt/udp_client-seed-v02.py", 5, 5, ""},
	{"udp_client", "solutions/alt/udp_client-seed-input.py", 5, 5, ""},
	{"udp_client", "solutions/alt/udp_client-connected.py", 5, 5, ""},
	{"udp_client", "solutions/alt/udp_client-chinese-label.py", 5, 5, ""},

	{"tcp_server", "solutions/tcp_server.py", 5, 5, ""},
	{"tcp_server", "broken/tcp_server-accept-not-called.py", 0, 5, "accept()"},
	{"tcp_server", "broken/tcp_server-recv-on-listener.py", 0, 5, "recv() on the connection that"},
	{"tcp_server", "broken/tcp_server-never-closes.py", 4, 5, "conn.close()"},
	{"tcp_server", "broken/tcp_server-serves-once.py", 3, 5, "while True"},
	{"tcp_server", "broken/tcp_server-str-not-bytes.py", 0, 5, "reply.encode()"},
	{"tcp_server", "broken/tcp_server-waits-for-close.py", 0, 5, "call recv() once"},
	{"tcp_server", "broken/tcp_server-reply-before-recv.py", 3, 5, "once recv() has read them"},
	{"tcp_server", "solutions/alt/tcp_server-socketserver.py", 5, 5, ""},
	{"tcp_server", "solutions/alt/tcp_server-with-readline.py", 5, 5, ""},
	{"tcp_server", "solutions/alt/tcp_server-seed.py", 5, 5, ""},

	{"tcp_client", "solutions/tcp_client.py", 5, 5, ""},
	{"tcp_client", "broken/tcp_client-shadows-socket.py", 3, 5, "did not print"},
	{"tcp_client", "broken/tcp_client-port-is-str.py", 0, 5, "must be a number"},
	{"tcp_client", "broken/tcp_client-str-not-bytes.py", 1, 5, "a socket sends bytes"},
	{"tcp_client", "broken/tcp_client-seed-loop-no-exit.py", 4, 5, "exit status 0"},
	{"tcp_client", "broken/tcp_client-prints-bytes.py", 4, 5, "show as b'...'"},
	{"tcp_client", "solutions/alt/tcp_client-create-connection.py", 5, 5, ""},
	{"tcp_client", "solutions/alt/tcp_client-seed-input.py", 5, 5, ""},
	{"tcp_client", "solutions/alt/tcp_client-makefile.py", 5, 5, ""},
	{"tcp_client", "solutions/alt/tcp_client-chinese-label.py", 5, 5, ""},

	{"tcp_chat_server", "solutions/tcp_chat_server.py", 5, 5, ""},
	{"tcp_chat_server", "broken/tcp_chat_server-one-line.py", 2, 5, "first line only"},
	{"tcp_chat_server", "broken/tcp_chat_server-bye-not-stripped.py", 4, 5, "line.strip() == \"bye\""},
	{"tcp_chat_server", "broken/tcp_chat_server-no-prefix.py", 3, 5, "echo: X"},
	{"tcp_chat_server", "broken/tcp_chat_server-no-newline.py", 4, 5, "did not end with a newline"},
	{"tcp_chat_server", "broken/tcp_chat_server-str-not-bytes.py", 0, 5, "encode the answer"},
	{"tcp_chat_server", "solutions/alt/tcp_chat_server-socketserver.py", 5, 5, ""},
	{"tcp_chat_server", "solutions/alt/tcp_chat_server-recv-loop.py", 5, 5, ""},
	{"tcp_chat_server", "solutions/alt/tcp_chat_server-threads-crlf.py", 5, 5, ""},

	{"timestamp_server", "solutions/timestamp_server.py", 6, 6, ""},
	{"timestamp_server", "broken/timestamp_server-bytes-repr.py", 4, 6, "b'...'"},
	{"timestamp_server", "broken/timestamp_server-time-not-ctime.py", 4, 6, "time.ctime()"},
	{"timestamp_server", "broken/timestamp_server-seed-str-write.py", 0, 6, "reply.encode()"},
	{"timestamp_server", "broken/timestamp_server-handle-request.py", 5, 6, "handle_request() serves"},
	{"timestamp_server", "broken/timestamp_server-reads-to-eof.py", 0, 6, "self.rfile.readline()"},
	{"timestamp_server", "solutions/alt/timestamp_server-handler-loops.py", 6, 6, ""},
	{"timestamp_server", "solutions/alt/timestamp_server-base-handler.py", 6, 6, ""},
	{"timestamp_server", "solutions/alt/timestamp_server-lines-no-newline.py", 6, 6, ""},

	{"smtp_plain", "solutions/smtp_plain.py", 7, 7, ""},
	{"smtp_plain", "broken/smtp_plain-never-sent.py", 1, 7, "Building the message is not sending it"},
	{"smtp_plain", "broken/smtp_plain-no-login.py", 6, 7, "server.login(MAIL_USER, MAIL_PASSWORD)"},
	{"smtp_plain", "broken/smtp_plain-message-object.py", 0, 7, "msg.as_string()"},
	{"smtp_plain", "solutions/alt/smtp_plain-emailmessage.py", 7, 7, ""},
	{"smtp_plain", "solutions/alt/smtp_plain-seed-header.py", 7, 7, ""},
	{"smtp_plain", "solutions/alt/smtp_plain-no-quit.py", 7, 7, ""},
	{"smtp_plain", "solutions/alt/smtp_plain-starttls.py", 7, 7, ""},
	{"smtp_plain", "solutions/alt/smtp_plain-raw-headers.py", 7, 7, ""},

	{"smtp_html", "solutions/smtp_html.py", 8, 8, ""},
	{"smtp_html", "broken/smtp_html-sent-as-plain.py", 6, 8, "MIMEText makes text/plain"},
	{"smtp_html", "solutions/alt/smtp_html-emailmessage.py", 8, 8, ""},
	{"smtp_html", "solutions/alt/smtp_html-mimetext-bytes.py", 8, 8, ""},
	{"smtp_html", "solutions/alt/smtp_html-raw-headers.py", 8, 8, ""},

	{"smtp_attachment", "solutions/smtp_attachment.py", 10, 10, ""},
	{"smtp_attachment", "broken/smtp_attachment-no-filename.py", 9, 10, "Content-Disposition"},
	{"smtp_attachment", "broken/smtp_attachment-text-mode.py", 0, 10, "traceback"},
	{"smtp_attachment", "broken/smtp_attachment-opens-for-writing.py", 8, 10, "byte for byte"},
	{"smtp_attachment", "solutions/alt/smtp_attachment-emailmessage.py", 10, 10, ""},
	{"smtp_attachment", "solutions/alt/smtp_attachment-mimebase.py", 10, 10, ""},
	{"smtp_attachment", "solutions/alt/smtp_attachment-mimeimage.py", 10, 10, ""},

	{"smtp_headers", "solutions/smtp_headers.py", 8, 8, ""},
	{"smtp_headers", "broken/smtp_headers-hand-built.py", 0, 8, "traceback"},
	{"smtp_headers", "broken/smtp_headers-from-not-encoded.py", 7, 8, "Encode the name alone"},
	{"smtp_headers", "solutions/alt/smtp_headers-emailmessage.py", 8, 8, ""},
	{"smtp_headers", "solutions/alt/smtp_headers-modern-string.py", 8, 8, ""},
	{"smtp_headers", "solutions/alt/smtp_headers-formataddr.py", 8, 8, ""},

	{"smtp_alternative", "solutions/smtp_alternative.py", 9, 9, ""},
	{"smtp_alternative", "broken/smtp_alternative-mixed.py", 7, 9, "MIMEMultipart(\"alternative\")"},
	{"smtp_alternative", "broken/smtp_alternative-html-only.py", 8, 9, "no text/plain part"},
	{"smtp_alternative", "solutions/alt/smtp_alternative-emailmessage.py", 9, 9, ""},
	{"smtp_alternative", "solutions/alt/smtp_alternative-send-message.py", 9, 9, ""},

	{"pop3_reader", "solutions/pop3_reader.py", 6, 6, ""},
	{"pop3_reader", "broken/pop3_reader-first-mail.py", 2, 6, "pop.retr(count)"},
	{"pop3_reader", "broken/pop3_reader-raw-subject.py", 4, 6, "decode_header"},
	{"pop3_reader", "broken/pop3_reader-no-login.py", 0, 6, "log in first, pop.user(MAIL_USER)"},
	{"pop3_reader", "broken/pop3_reader-decode-header-list.py", 4, 6, "the list that decode_header() returns"},
	{"pop3_reader", "solutions/alt/pop3_reader-modern.py", 6, 6, ""},
	{"pop3_reader", "solutions/alt/pop3_reader-top.py", 6, 6, ""},
	{"pop3_reader", "solutions/alt/pop3_reader-list.py", 6, 6, ""},

	{"imap_search", "solutions/imap_search.py", 5, 5, ""},
	{"imap_search", "broken/imap_search-len-of-data.py", 3, 5, "count data[0].split()"},
	{"imap_search", "broken/imap_search-raw-subject.py", 3, 5, "decode_header"},
	{"imap_search", "broken/imap_search-no-login.py", 0, 5, "call imap.login(MAIL_USER, MAIL_PASSWORD) before select()"},
	{"imap_search", "broken/imap_search-all.py", 3, 5, "not ALL"},
	{"imap_search", "broken/imap_search-uid-mix.py", 3, 5, "uid(\"fetch\", ...) wants UIDs"},
	{"imap_search", "solutions/alt/imap_search-uid.py", 5, 5, ""},
	{"imap_search", "solutions/alt/imap_search-one-fetch.py", 5, 5, ""},

	{"ftp_download", "solutions/ftp_download.py", 4, 4, ""},
	{"ftp_download", "broken/ftp_download-retr-no-space.py", 0, 4, "'RETR{0}' without a space"},
	{"ftp_download", "broken/ftp_download-text-mode.py", 0, 4, "open it with \"wb\""},
	{"ftp_download", "broken/ftp_download-retrlines.py", 2, 4, "glued together"},
	{"ftp_download", "broken/ftp_download-retrlines-newline.py", 2, 4, "lines end with LF (\\n) where the server's end with CR LF"},
	{"ftp_download", "broken/ftp_download-no-login.py", 0, 4, "ftp.login()"},
	{"ftp_download", "broken/ftp_download-no-cwd.py", 0, 4, "ftp.cwd(\"pub\")"},
	{"ftp_download", "solutions/alt/ftp_download-with-callback.py", 4, 4, ""},
	{"ftp_download", "solutions/alt/ftp_download-transfercmd.py", 4, 4, ""},

	{"nntp_reader", "solutions/nntp_reader.py", 5, 5, ""},
	{"nntp_reader", "broken/nntp_reader-first-article.py", 1, 5, "LAST article"},
	{"nntp_reader", "broken/nntp_reader-prints-bytes.py", 2, 5, "decode them before"},
	{"nntp_reader", "solutions/alt/nntp_reader-head-body.py", 5, 5, ""},
	{"nntp_reader", "solutions/alt/nntp_reader-xhdr.py", 5, 5, ""},
	{"nntp_reader", "solutions/alt/nntp_reader-over.py", 5, 5, ""},
}
