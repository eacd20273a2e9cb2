package sandbox

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

const (
	// smsKept is how many messages the gateway remembers for GET
	// /sms/{smsid}; older ones are forgotten.
	smsKept = 1000
	// smsMaxContent is the longest content, in characters.
	smsMaxContent = 500
	// smsMaxForm bounds the body of POST /sms.
	smsMaxForm = 64 << 10
)

// SMS gateway answer codes, as the common Chinese SMS gateway APIs give
// them (the one the seed course called): 2 is success.
const (
	smsOK          = 2
	smsNoAccount   = 401
	smsNoPassword  = 402
	smsNoMobile    = 403
	smsNoContent   = 404
	smsBadLogin    = 405
	smsBadMobile   = 406
	smsTooLong     = 4073
	smsUnknownID   = 4041
	smsBadMethod   = 4050
	smsBadFormBody = 4001
)

// mobilePattern is a mainland China mobile number: 11 digits from 13 to 19.
var mobilePattern = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// smsGateway is the sandbox's SMS gateway: it checks the form of POST /sms
// against the sandbox users and remembers what it accepted.
type smsGateway struct {
	users map[string]string

	mu    sync.Mutex
	seq   int
	order []string // smsids, oldest first
	sent  map[string]smsRecord
}

// smsRecord is a message the gateway accepted.
type smsRecord struct {
	SMSID, Account, Mobile, Content string
	Time                            time.Time
	// Status is always "delivered": the sandbox delivers at once.
	Status string
}

func newSMSGateway(users map[string]string) *smsGateway {
	return &smsGateway{users: users, sent: map[string]smsRecord{}}
}

// submit handles POST /sms: a form of account, password, mobile and
// content. The answer is always HTTP 200 with JSON {code, msg, smsid}, as
// these gateways do; code 2 is success.
func (g *smsGateway) submit(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"code": smsBadMethod, "msg": "use POST with a form: account, password, mobile, content"})
		return
	}
	writeJSON(w, http.StatusOK, g.accept(w, r))
}

// submitSeed handles the seed course's own path and API shape, that of
// the gateway it called: POST /webservice/sms.php?method=Submit with the
// same form as POST /sms. With format=json the answer is the JSON of POST
// /sms; without, the gateway's XML, <SubmitResult> holding code, msg and
// smsid.
func (g *smsGateway) submitSeed(w http.ResponseWriter, r *http.Request) {
	// Capped before anything parses the body (FormValue below, on every
	// branch), as accept caps it.
	r.Body = http.MaxBytesReader(w, r.Body, smsMaxForm)
	var ans smsAnswer
	switch {
	case r.Method != http.MethodPost:
		w.Header().Set("Allow", http.MethodPost)
		ans = smsAnswer{Code: smsBadMethod, Msg: "use POST with a form: account, password, mobile, content", SMSID: "0"}
	case !strings.EqualFold(r.URL.Query().Get("method"), "Submit"):
		ans = smsAnswer{Code: smsBadMethod, Msg: "the only method is Submit: /webservice/sms.php?method=Submit", SMSID: "0"}
	default:
		ans = g.accept(w, r)
	}
	status := http.StatusOK
	if r.Method != http.MethodPost {
		status = http.StatusMethodNotAllowed
	}
	// format may be in the query or the form; ParseForm has read both.
	if strings.EqualFold(r.FormValue("format"), "json") {
		writeJSON(w, status, ans)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, xml.Header)
	_ = xml.NewEncoder(w).Encode(smsXML{Xmlns: "http://106.ihuyi.com/", smsAnswer: ans})
}

// smsAnswer is the gateway's answer to a submission.
type smsAnswer struct {
	Code  int    `json:"code" xml:"code"`
	Msg   string `json:"msg" xml:"msg"`
	SMSID string `json:"smsid" xml:"smsid"`
}

// smsXML is the XML form of an answer.
type smsXML struct {
	XMLName xml.Name `xml:"SubmitResult"`
	Xmlns   string   `xml:"xmlns,attr"`
	smsAnswer
}

// accept checks the form of a POST (account, password, mobile, content)
// and stores the message when it is right.
func (g *smsGateway) accept(w http.ResponseWriter, r *http.Request) smsAnswer {
	r.Body = http.MaxBytesReader(w, r.Body, smsMaxForm)
	if err := r.ParseForm(); err != nil {
		return smsAnswer{Code: smsBadFormBody, Msg: "cannot read the form: " + err.Error(), SMSID: "0"}
	}
	f := r.PostForm
	account, password, mobile, content := f.Get("account"), f.Get("password"), f.Get("mobile"), f.Get("content")
	fail := func(code int, msg string) smsAnswer { return smsAnswer{Code: code, Msg: msg, SMSID: "0"} }
	switch {
	case account == "":
		return fail(smsNoAccount, "account is required")
	case password == "":
		return fail(smsNoPassword, "password is required")
	case mobile == "":
		return fail(smsNoMobile, "mobile is required")
	case content == "":
		return fail(smsNoContent, "content is required")
	case !g.login(account, password):
		return fail(smsBadLogin, "account or password is wrong")
	case !mobilePattern.MatchString(mobile):
		return fail(smsBadMobile, "mobile number format is wrong: 11 digits starting with 13 to 19")
	case utf8.RuneCountInString(content) > smsMaxContent:
		return fail(smsTooLong, fmt.Sprintf("content is longer than %d characters", smsMaxContent))
	}
	return smsAnswer{Code: smsOK, Msg: "submitted", SMSID: g.store(account, mobile, content)}
}

// login checks an account and its password.
func (g *smsGateway) login(account, password string) bool {
	want, ok := g.users[account]
	return ok && want == password
}

// store remembers a message and returns its fresh smsid: the time in
// milliseconds and a sequence number.
func (g *smsGateway) store(account, mobile, content string) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.seq++
	now := time.Now()
	id := fmt.Sprintf("%d%04d", now.UnixMilli(), g.seq%10000)
	g.sent[id] = smsRecord{SMSID: id, Account: account, Mobile: mobile, Content: content, Time: now, Status: "delivered"}
	g.order = append(g.order, id)
	if len(g.order) > smsKept {
		delete(g.sent, g.order[0])
		g.order = g.order[1:]
	}
	return id
}

// lookup handles GET /sms/{smsid}: the message, or code 4041 and HTTP 404.
func (g *smsGateway) lookup(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("smsid")
	g.mu.Lock()
	rec, ok := g.sent[id]
	g.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{"code": smsUnknownID, "msg": "no message with smsid " + id})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": smsOK, "msg": "found", "smsid": rec.SMSID, "account": rec.Account,
		"mobile": rec.Mobile, "content": rec.Content, "time": rec.Time, "status": rec.Status})
}
