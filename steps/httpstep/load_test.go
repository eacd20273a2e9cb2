package httpstep_test

import (
	"strings"
	"testing"
)

func TestLoadErrors(t *testing.T) {
	errs := harness(t).LoadErrors(`name: errors
steps:
  - connect: http://127.0.0.1:x
  - connect: https://user@example.test
  - connect: http://example.test/api?key=1
  - connect: http://example.test
    tls: { min_version: "1.4" }
    max_body: lots
    auth: { user: a, password: b, mechanism: digest }
    headers: { "Bad Name": x }
  - send: /path
  - send: { form: { a: b }, json: { a: b } }
  - send: { method: GET, body: x }
  - send: { method: "BAD METHOD" }
  - send: { headers: { "a:b": x } }
  - fetch:
  - fetch: { method: POST }
  - expect: x
  - send: { path: /x }
    assert: result.stauts == 200
  - send: { form: { a: { b: c } } }
  - connect: http://example.test
    auth: { user: a }
  - connect: http://example.test
    folow_redirects: false
  - connect: http://example.test
    follow_redirects: yes
`)
	want := []string{
		`3:14: bad URL "http://127.0.0.1:x"`,
		`4:14: URL "https://user@example.test" has a user name: give it with auth: { user, password }`,
		`5:14: URL "http://example.test/api?key=1" has a query or fragment`,
		`7:12: min_version must be 1.0, 1.1, 1.2 or 1.3, not "1.4"`,
		`8:15: max_body: "lots" is not a size`,
		`9:46: http auth mechanism "digest": only basic is supported`,
		`10:16: headers: "Bad Name" is not a valid header name`,
		"11:11: http send takes a mapping { method, path, headers, query, form, json, body, file }",
		"12:29: send has both form and json",
		"13:21: a GET request has no body: remove body or use POST",
		`14:21: method "BAD METHOD" is not a valid HTTP method`,
		`15:24: headers: "a:b" is not a valid header name`,
		"16:11: http fetch takes a path (fetch: /json) or a mapping",
		`17:14: unknown key "method"`,
		"18:13: http has no expect action: it takes connect, listen, accept, send and fetch",
		"stauts",
		"21:24: a value is a text or a list of texts, not a mapping",
		"22:5: auth needs user and password",
		`25:5: unknown key "folow_redirects" (did you mean "follow_redirects"?)`,
		`27:23: expected true or false, got a string "yes"`,
	}
	all := strings.Join(errs, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("missing error %q", w)
		}
	}
	if t.Failed() {
		t.Logf("errors:\n%s", all)
	}
}
