package mailstore

import (
	"errors"
	"sync/atomic"
)

// DefaultLimit is how many bytes of mail a store holds at most, counted as
// Charge counts them.
const DefaultLimit = 256 << 20

// ErrStoreFull is returned when a message would take the store over its
// limit. SMTP answers it with 452 4.3.1 and IMAP APPEND with NO
// [OVERQUOTA], as Postfix and Dovecot answer a full disk or quota.
var ErrStoreFull = errors.New("mail store full")

// Charge is what a message of n bytes counts against the limit: its raw
// form and the parsed form that SEARCH may keep beside it. A copy of a
// message (IMAP COPY) shares the raw bytes but is counted again, so the
// count never falls below what the store really holds.
func Charge(n int) int64 { return 2 * int64(n) }

// budget counts the bytes a store holds against its limit.
type budget struct {
	limit, used atomic.Int64
}

// take counts n more bytes and reports true, or reports false, counting
// nothing, when that would pass the limit.
func (b *budget) take(n int64) bool {
	for {
		u := b.used.Load()
		if u+n > b.limit.Load() {
			return false
		}
		if b.used.CompareAndSwap(u, u+n) {
			return true
		}
	}
}

// give returns n bytes of a message that is gone.
func (b *budget) give(n int64) { b.used.Add(-n) }

// SetLimit sets how many bytes, counted as Charge counts them, the store
// holds at most (DefaultLimit unless set). What it holds already stays.
func (s *Store) SetLimit(n int64) { s.budget.limit.Store(n) }

// Used returns how many bytes the store holds, counted as Charge counts
// them.
func (s *Store) Used() int64 { return s.budget.used.Load() }
