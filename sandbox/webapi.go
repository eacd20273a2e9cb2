package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

const (
	// echoMaxBody bounds the body /echo reads.
	echoMaxBody = 1 << 20
	// maxRedirects is the longest chain /redirect/N makes.
	maxRedirects = 20
)

// webAPI returns the handler of the http and https services:
//
//	POST /sms            the SMS gateway (smsGateway.submit)
//	GET  /sms/{smsid}    a message the gateway accepted
//	POST /webservice/sms.php?method=Submit
//	                     the same, at the seed course's path (submitSeed)
//	     /echo           the request as JSON
//	     /status/{code}  that status, with a text body
//	     /redirect/{n}   302 to /redirect/{n-1}, ..., then /echo
//	GET  /json           a fixed JSON document
//	     /slow?delay=D&status=S&group=G
//	                     answers S after D (at most 10s); counts in G
//	GET  /slow/{group}   how many requests of the group waited at once
//	     /ws             the WebSocket echo
func webAPI(s *Sandbox) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/sms", s.sms.submit)
	mux.HandleFunc("GET /sms/{smsid}", s.sms.lookup)
	mux.HandleFunc("/webservice/sms.php", s.sms.submitSeed)
	mux.HandleFunc("/echo", echoRequest)
	mux.HandleFunc("/status/{code}", status)
	mux.HandleFunc("/redirect/{n}", redirect)
	mux.HandleFunc("GET /json", document)
	mux.HandleFunc("/slow", s.slow.serve)
	mux.HandleFunc("GET /slow/{group}", s.slow.lookup)
	mux.HandleFunc("/ws", wsEcho)
	return mux
}

// writeJSON answers with v as JSON and the status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// echoRequest answers with the request as JSON: method, path, query, form
// (of a URL-encoded body), headers, body, and json (the body parsed, when
// it is JSON; else null). A name given once has its value as text, a name
// given more than once a list, as httpbin does. Bodies over 1 MiB get 413.
func echoRequest(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, echoMaxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]any{"error": fmt.Sprintf("the body is larger than %d bytes", echoMaxBody)})
		return
	} else if err != nil {
		return // the client went away
	}
	headers := map[string]string{"Host": r.Host}
	for k, v := range r.Header {
		headers[k] = strings.Join(v, ", ")
	}
	form := map[string]any{}
	if mt := strings.TrimSpace(strings.Split(r.Header.Get("Content-Type"), ";")[0]); mt == "application/x-www-form-urlencoded" {
		if vals, err := url.ParseQuery(string(body)); err == nil {
			form = flatten(vals)
		}
	}
	var parsed any
	if json.Unmarshal(body, &parsed) != nil {
		parsed = nil
	}
	writeJSON(w, http.StatusOK, map[string]any{"method": r.Method, "path": r.URL.Path, "query": flatten(r.URL.Query()),
		"form": form, "headers": headers, "body": string(body), "json": parsed})
}

// flatten turns each name given once into its value, and others into lists.
func flatten(vals url.Values) map[string]any {
	out := make(map[string]any, len(vals))
	for k, v := range vals {
		if len(v) == 1 {
			out[k] = v[0]
		} else {
			out[k] = v
		}
	}
	return out
}

// status answers with the status code of the path (200 to 599) and a text
// body "CODE Text".
func status(w http.ResponseWriter, r *http.Request) {
	code, err := strconv.Atoi(r.PathValue("code"))
	if err != nil || code < 200 || code > 599 {
		http.Error(w, "the status must be a number from 200 to 599", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintf(w, "%d %s\n", code, http.StatusText(code))
}

// redirect answers /redirect/N with 302 to /redirect/N-1, and /redirect/1
// (or 0) with 302 to /echo: N redirects in all, at most 20.
func redirect(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n > maxRedirects {
		http.Error(w, fmt.Sprintf("the number of redirects must be from 0 to %d", maxRedirects), http.StatusBadRequest)
		return
	}
	to := "/echo"
	if n > 1 {
		to = fmt.Sprintf("/redirect/%d", n-1)
	}
	http.Redirect(w, r, to, http.StatusFound)
}

// document answers with a fixed JSON document.
func document(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"name":      "netrun sandbox",
		"version":   1,
		"ok":        true,
		"pi":        3.14159,
		"protocols": []string{"http", "https", "ws", "wss"},
		"owner":     map[string]any{"user": "alice", "email": "alice@example.test"},
		"empty":     nil,
	})
}
