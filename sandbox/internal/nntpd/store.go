package nntpd

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/textproto"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/netrunhq/netrun/internal/mail"
)

// Limits of the store.
const (
	// MaxArticle is the largest article POST takes, in bytes: INN's
	// default maxartsize.
	MaxArticle = 1000000
	// MaxStore is how many bytes of posted articles the store keeps in
	// all; later posts are refused.
	MaxStore = 64 << 20
)

// seed holds the articles every store starts with, one file each, in
// name order. Their Newsgroups field places them.
//
//go:embed seed/*.eml
var seed embed.FS

// groupList returns the newsgroups a new store has, with their
// descriptions: a fresh slice for each store, so that no caller can change
// what the next store starts with.
func groupList() []struct{ Name, Description string } {
	return []struct{ Name, Description string }{
		{"comp.lang.python", "The Python computer language."},
		{"local.test", "Local test posts."},
		// Empty at start, as INN's default local.general: an empty group for
		// readers to meet (test/conformance compares it with INN's).
		{"local.general", "Local general discussion."},
	}
}

// Article is one stored article.
type Article struct {
	// Raw is the article with CRLF line ends, as ARTICLE sends it before
	// dot-stuffing.
	Raw []byte
	// Header holds the header fields, unfolded.
	Header textproto.MIMEHeader
	// MessageID is the Message-ID, angle brackets included.
	MessageID string
	// Lines is the number of lines of the body.
	Lines int
	// body is where the body starts in Raw.
	body int
}

// Head returns the header of the article, its lines ending with CRLF,
// without the blank line after it.
func (a *Article) Head() []byte { return bytes.TrimSuffix(a.Raw[:a.body], []byte("\r\n")) }

// Body returns the body of the article.
func (a *Article) Body() []byte { return a.Raw[a.body:] }

// Field returns a header field for overviews: unfolded, tabs and line
// ends made spaces.
func (a *Article) Field(name string) string {
	return strings.NewReplacer("\t", " ", "\r", " ", "\n", " ").Replace(a.Header.Get(name))
}

// group is one newsgroup: its articles by number.
type group struct {
	name, description string
	numbers           []int // ascending
	articles          map[int]*Article
	high              int // the highest number given so far
}

// GroupInfo describes a group as GROUP and LIST ACTIVE do.
type GroupInfo struct {
	Name, Description string
	// Count, First and Last are the number of articles and the low and
	// high water marks; an empty group has Last = First - 1.
	Count, First, Last int
}

// Store is the news spool: groups and articles, shared by every
// connection. Its methods are safe for concurrent use.
type Store struct {
	mu     sync.RWMutex
	groups map[string]*group
	byID   map[string]*Article
	users  map[string]string
	posted int // bytes of posted articles
}

// NewStore returns a store with the groups of groupList, seeded with the
// articles under seed/, and the users that may log in to post.
func NewStore(users map[string]string) *Store {
	st := &Store{groups: map[string]*group{}, byID: map[string]*Article{}, users: users}
	for _, g := range groupList() {
		st.groups[g.Name] = &group{name: g.Name, description: g.Description, articles: map[int]*Article{}}
	}
	files, err := fs.Glob(seed, "seed/*.eml")
	if err != nil {
		panic(err) // the pattern is fixed
	}
	sort.Strings(files)
	for _, f := range files {
		raw, _ := seed.ReadFile(f)
		if _, err := st.add(raw); err != nil {
			panic(fmt.Sprintf("nntpd: seed %s: %v", f, err)) // the seed is part of the build
		}
	}
	return st
}

// Login reports whether user has password.
func (st *Store) Login(user, password string) bool {
	want, ok := st.users[user]
	return ok && want == password
}

// List returns every group, by name.
func (st *Store) List() []GroupInfo {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]GroupInfo, 0, len(st.groups))
	for _, g := range st.groups {
		out = append(out, g.info())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Group describes the named group; false when there is none.
func (st *Store) Group(name string) (GroupInfo, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	g, ok := st.groups[name]
	if !ok {
		return GroupInfo{}, false
	}
	return g.info(), true
}

// info describes g; the caller holds the lock.
func (g *group) info() GroupInfo {
	gi := GroupInfo{Name: g.name, Description: g.description, Count: len(g.numbers), First: g.high + 1, Last: g.high}
	if len(g.numbers) > 0 {
		gi.First = g.numbers[0]
	}
	return gi
}

// Numbers returns the article numbers of the group from lo to hi, both
// included, ascending.
func (st *Store) Numbers(name string, lo, hi int) []int {
	st.mu.RLock()
	defer st.mu.RUnlock()
	g, ok := st.groups[name]
	if !ok {
		return nil
	}
	i := sort.SearchInts(g.numbers, lo)
	var out []int
	for ; i < len(g.numbers) && g.numbers[i] <= hi; i++ {
		out = append(out, g.numbers[i])
	}
	return out
}

// Article returns article n of the group; nil when there is none.
func (st *Store) Article(name string, n int) *Article {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if g, ok := st.groups[name]; ok {
		return g.articles[n]
	}
	return nil
}

// ByID returns the article with the message-id; nil when there is none.
func (st *Store) ByID(id string) *Article {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.byID[id]
}

// Post stores a posted article in each of its groups and returns its
// Message-ID. Like an injecting server, it adds Message-ID, Date and Path
// when they are missing. The error says why an article is refused.
func (st *Store) Post(raw []byte, host string) (string, error) {
	if len(raw) > MaxArticle {
		return "", fmt.Errorf("the article is larger than %d bytes", MaxArticle)
	}
	raw = crlf(raw)
	h, _, err := parse(raw)
	if err != nil {
		return "", err
	}
	var extra []string
	if h.Get("Message-Id") == "" {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		extra = append(extra, fmt.Sprintf("Message-ID: <%s@%s>", hex.EncodeToString(b), host))
	}
	if h.Get("Date") == "" {
		extra = append(extra, "Date: "+time.Now().UTC().Format(time.RFC1123Z))
	}
	if h.Get("Path") == "" {
		extra = append(extra, "Path: "+host+"!not-for-mail")
	}
	if len(extra) > 0 {
		raw = append([]byte(strings.Join(extra, "\r\n")+"\r\n"), raw...)
	}
	return st.add(raw)
}

// add stores raw, whose line ends are CRLF, in the groups it names.
func (st *Store) add(raw []byte) (string, error) {
	raw = crlf(raw)
	h, body, err := parse(raw)
	if err != nil {
		return "", err
	}
	for _, f := range []string{"From", "Subject", "Newsgroups", "Message-Id", "Date"} {
		if strings.TrimSpace(h.Get(f)) == "" {
			return "", fmt.Errorf("the article has no %s header field", textproto.CanonicalMIMEHeaderKey(f))
		}
	}
	a := &Article{Raw: raw, Header: h, MessageID: strings.TrimSpace(h.Get("Message-Id")), body: body}
	if !strings.HasPrefix(a.MessageID, "<") || !strings.HasSuffix(a.MessageID, ">") || strings.ContainsAny(a.MessageID, " \t") {
		return "", fmt.Errorf("the Message-ID %q is not <...>", a.MessageID)
	}
	a.Lines = bytes.Count(raw[body:], []byte("\n"))
	names := strings.Split(h.Get("Newsgroups"), ",")
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.byID[a.MessageID] != nil {
		return "", fmt.Errorf("duplicate message-id %s", a.MessageID)
	}
	if st.posted+len(raw) > MaxStore {
		return "", errors.New("the sandbox's news store is full")
	}
	var groups []*group
	for _, n := range names {
		g, ok := st.groups[strings.TrimSpace(n)]
		if !ok {
			return "", fmt.Errorf("no such newsgroup %q", strings.TrimSpace(n))
		}
		groups = append(groups, g)
	}
	for _, g := range groups {
		g.high++
		g.numbers = append(g.numbers, g.high)
		g.articles[g.high] = a
	}
	st.byID[a.MessageID] = a
	st.posted += len(raw)
	return a.MessageID, nil
}

// parse reads the header of raw and returns it and where the body
// starts.
func parse(raw []byte) (textproto.MIMEHeader, int, error) {
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	if end < 0 {
		return nil, 0, errors.New("the article has no blank line after its header")
	}
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw[:end+4])))
	h, err := r.ReadMIMEHeader()
	if err != nil {
		return nil, 0, fmt.Errorf("the article's header does not parse: %v", err)
	}
	return h, end + 4, nil
}

// crlf ends every line of raw with CRLF: a bare LF becomes CRLF, and a
// last line without an ending gets one.
func crlf(raw []byte) []byte {
	s := mail.CRLF(string(raw))
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\r\n"
	}
	return []byte(s)
}
