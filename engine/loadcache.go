package engine

import (
	"reflect"
	"strings"
	"sync"

	"github.com/expr-lang/expr/vm"
)

// loadCache is what the files of one LoadFiles call share while they are
// compiled: the environments built by narrow and the programs compiled
// from the same source against the same environment type. The same
// expressions recur in file after file (result.code == 250,
// env("NETRUN_SMTP") ?? ...), and compiling one costs tens of
// microseconds. A compiled program is read-only and safe to run from
// several goroutines.
type loadCache struct {
	mu    sync.Mutex
	envs  map[envKey]*envType
	progs map[progKey]*vm.Program
	refs  map[string]refs
	// fields is what fieldsIn found in a source (engine/fielduse.go).
	fields map[string]exprFields
}

// refs is what references found in a source.
type refs struct {
	names, ids []string
	all        bool
}

// progKey names a compiled program: its source, the environment type it
// was checked against and whether it must be boolean. The environment's
// struct type (reflect.StructOf) is the same for the same names, ids,
// result type and tags, whichever file built it.
type progKey struct {
	src    string
	t      reflect.Type
	asBool bool
}

// maxCachedProgs bounds the cache; past it programs are compiled again.
const maxCachedProgs = 1 << 16

func newLoadCache() *loadCache {
	return &loadCache{envs: map[envKey]*envType{}, progs: map[progKey]*vm.Program{}, refs: map[string]refs{}}
}

func (lc *loadCache) env(k envKey, build func() *envType) *envType {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	e, ok := lc.envs[k]
	if !ok {
		e = build()
		lc.envs[k] = e
	}
	return e
}

func (lc *loadCache) prog(k progKey) *vm.Program {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.progs[k]
}

func (lc *loadCache) putProg(k progKey, p *vm.Program) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if len(lc.progs) < maxCachedProgs {
		lc.progs[k] = p
	}
}

// references is the package function references, remembered by source.
// The lists returned are shared: callers must not change them.
func (lc *loadCache) references(srcs []string) (names, ids []string, all bool) {
	k := strings.Join(srcs, "\x00")
	lc.mu.Lock()
	r, ok := lc.refs[k]
	lc.mu.Unlock()
	if ok {
		return r.names, r.ids, r.all
	}
	names, ids, all = references(srcs)
	lc.mu.Lock()
	if len(lc.refs) < maxCachedProgs {
		lc.refs[k] = refs{names, ids, all}
	}
	lc.mu.Unlock()
	return names, ids, all
}
