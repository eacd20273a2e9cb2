package sandbox

import (
	"errors"
	"sync"
)

// ftpQuota is how many bytes the users' FTP trees of one sandbox may hold
// in all, counted as the memory their files take (memFS): the trees live
// in memory, and a program under test that uploads without end must not
// exhaust netrun's. Deleting a file gives back what it held.
const ftpQuota = 256 << 20

// errQuota is what a write gets past the quota.
var errQuota = errors.New("the sandbox's FTP trees are full (256 MiB in all): delete files to make room")

// quota counts the bytes the FTP trees hold.
type quota struct {
	mu   sync.Mutex
	used int64
	max  int64
}

// take counts n more bytes, or refuses them past the quota.
func (q *quota) take(n int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.used+int64(n) > q.max {
		return errQuota
	}
	q.used += int64(n)
	return nil
}

// give gives back n bytes.
func (q *quota) give(n int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.used -= int64(n)
}

// held is what is counted now.
func (q *quota) held() int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.used
}
