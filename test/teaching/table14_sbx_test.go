package teaching

// sbx14Variants are the programs of the exercises of issue 14 that use the
// sandbox's TLS mail, SMS gateway and slow web endpoint: smtp_ssl,
// smtp_starttls, sms_client and async_fetch.
var sbx14Variants = []variant{
	{"smtp_ssl", "solutions/smtp_ssl.py", 7, 7, ""},
	{"smtp_ssl", "solutions/alt/smtp_ssl-emailmessage.py", 7, 7, ""},
	// The seed course's sender as it is: SMTP_SSL(host, port) with no
	// context, raw headers. It must get full marks.
	{"smtp_ssl", "solutions/alt/smtp_ssl-seed.py", 7, 7, ""},
	{"smtp_ssl", "solutions/alt/smtp_ssl-seed-encoded-host.py", 7, 7, ""},
	// Not graded: ssl._create_unverified_context() is what
	// SMTP_SSL uses when given no context (ssl._create_stdlib_context), so
	// on the wire this program is the seed's, which must get full marks.
	// Pinned here so that a change to either grading shows.
	{"smtp_ssl", "broken/smtp_ssl-unverified.py", 7, 7, ""},
	{"smtp_ssl", "broken/smtp_ssl-plain-smtp.py", 0, 7, "speaks TLS from the first byte"},

	{"smtp_starttls", "solutions/smtp_starttls.py", 9, 9, ""},
	{"smtp_starttls", "solutions/alt/smtp_starttls-with-block.py", 9, 9, ""},
	// starttls() with no context does not verify either; as above.
	{"smtp_starttls", "solutions/alt/smtp_starttls-ehlo-no-context.py", 9, 9, ""},
	{"smtp_starttls", "broken/smtp_starttls-login-first.py", 0, 9, "login() came before starttls()"},
	{"smtp_starttls", "broken/smtp_starttls-smtp-ssl.py", 0, 9, "connect with smtplib.SMTP (not SMTP_SSL)"},

	{"sms_client", "solutions/sms_client.py", 6, 6, ""},
	{"sms_client", "solutions/alt/sms_client-urllib.py", 6, 6, ""},
	{"sms_client", "solutions/alt/sms_client-request-object.py", 6, 6, ""},
	{"sms_client", "broken/sms_client-get.py", 0, 6, "The gateway takes only POST"},
	{"sms_client", "broken/sms_client-ignores-code.py", 4, 6, "When code is not 2"},
	{"sms_client", "broken/sms_client-prints-answer.py", 4, 6, "printed the gateway's whole answer"},

	{"async_fetch", "solutions/async_fetch.py", 6, 6, ""},
	{"async_fetch", "solutions/alt/async_fetch-asyncio.py", 6, 6, ""},
	{"async_fetch", "solutions/alt/async_fetch-futures.py", 6, 6, ""},
	{"async_fetch", "broken/async_fetch-sequential.py", 4, 6, "fetched one URL after the other"},
	{"async_fetch", "broken/async_fetch-completion-order.py", 5, 6, "the second URL answers first"},
	{"async_fetch", "broken/async_fetch-no-join.py", 4, 6, "print(status, url)"},
	{"async_fetch", "broken/async_fetch-unhandled-404.py", 3, 6, "except urllib.error.HTTPError as e"},
	{"async_fetch", "broken/async_fetch-blocking-coroutines.py", 4, 6, "urllib.request.urlopen() blocks it"},
}

// sbx14AltExercises are the exercises of sbx14Variants that must have
// minAlt correct solutions in other styles.
var sbx14AltExercises = []string{"smtp_ssl", "smtp_starttls", "sms_client", "async_fetch"}
