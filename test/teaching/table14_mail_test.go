package teaching

// mail14AltExercises are the mail, news and file exercises of issue 14:
// each must have other correct solutions in solutions/alt.
var mail14AltExercises = []string{"imap_flags", "pop3_cleanup", "ftp_manage", "nntp_post"}

// mail14Variants are the programs of those exercises and their grades.
var mail14Variants = []variant{
	{"imap_flags", "solutions/imap_flags.py", 5, 5, ""},
	{"imap_flags", "broken/imap_flags-all.py", 3, 5, "The program marked every message"},
	{"imap_flags", "broken/imap_flags-no-backslash.py", 3, 5, "system flags start with a backslash"},
	{"imap_flags", "broken/imap_flags-readonly.py", 3, 5, "not select(\"INBOX\", readonly=True)"},
	{"imap_flags", "broken/imap_flags-from-equals.py", 2, 5, "Only some were marked"},
	{"imap_flags", "solutions/alt/imap_flags-search-from.py", 5, 5, ""},
	{"imap_flags", "solutions/alt/imap_flags-uid.py", 5, 5, ""},

	{"pop3_cleanup", "solutions/pop3_cleanup.py", 5, 5, ""},
	{"pop3_cleanup", "broken/pop3_cleanup-no-quit.py", 3, 5, "dele() only marks a message"},
	{"pop3_cleanup", "broken/pop3_cleanup-deletes-all.py", 1, 5, "The program deleted the wrong mails"},
	{"pop3_cleanup", "broken/pop3_cleanup-raw-subject.py", 2, 5, "decode the subject first"},
	{"pop3_cleanup", "broken/pop3_cleanup-from-zero.py", 1, 5, "range(1, count + 1)"},
	{"pop3_cleanup", "solutions/alt/pop3_cleanup-retr.py", 5, 5, ""},
	{"pop3_cleanup", "solutions/alt/pop3_cleanup-finally.py", 5, 5, ""},

	{"ftp_manage", "solutions/ftp_manage.py", 6, 6, ""},
	{"ftp_manage", "broken/ftp_manage-storlines.py", 4, 6, "storlines sends text line by line"},
	{"ftp_manage", "broken/ftp_manage-no-cwd.py", 2, 6, "cwd(FTP_DIR)"},
	{"ftp_manage", "broken/ftp_manage-text-file.py", 1, 6, "open(path, \"rb\")"},
	{"ftp_manage", "broken/ftp_manage-replaces-extension.py", 3, 6, "that name plus .bak"},
	{"ftp_manage", "broken/ftp_manage-rename-first.py", 1, 6, "rename() comes after storbinary()"},
	{"ftp_manage", "solutions/alt/ftp_manage-with-ftp.py", 6, 6, ""},
	{"ftp_manage", "solutions/alt/ftp_manage-seed-retrlines.py", 6, 6, ""},

	{"nntp_post", "solutions/nntp_post.py", 7, 7, ""},
	{"nntp_post", "broken/nntp_post-no-login.py", 0, 7, "log in before posting"},
	{"nntp_post", "broken/nntp_post-no-newsgroups.py", 0, 7, "it has no Newsgroups header"},
	{"nntp_post", "broken/nntp_post-raw-headers.py", 6, 7, "News and mail headers are ASCII"},
	{"nntp_post", "solutions/alt/nntp_post-emailmessage.py", 7, 7, ""},
	{"nntp_post", "solutions/alt/nntp_post-socket.py", 7, 7, ""},
}
