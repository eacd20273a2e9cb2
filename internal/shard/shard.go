// Package shard splits a run into N deterministic, disjoint parts whose
// union is the whole: the scenarios of a CI suite or the students of a
// class, spread over the nodes of a CI matrix or the pods of a Kubernetes
// Indexed Job.
//
// K is 1-based everywhere netrun shows or takes it (--shard 1/4 is the
// first of four), as GitLab's CI_NODE_INDEX; Kubernetes' 0-based
// JOB_COMPLETION_INDEX is converted on reading.
package shard

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Shard is the K-th of N parts, K from 1 to N.
type Shard struct {
	K int `json:"index"`
	N int `json:"total"`
}

// String is "K/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.K, s.N) }

// Whole reports whether s is the whole run: no sharding.
func (s Shard) Whole() bool { return s.N <= 1 }

// Parse reads "K/N", K from 1 to N.
func Parse(s string) (Shard, error) {
	k, n, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want K/N, K from 1 to N (1/4 is the first of 4)", s)
	}
	return fromInts(k, n, 1, s)
}

// fromInts makes a shard from the text of K (counted from base) and N.
func fromInts(k, n string, base int, orig string) (Shard, error) {
	ki, err1 := strconv.Atoi(strings.TrimSpace(k))
	ni, err2 := strconv.Atoi(strings.TrimSpace(n))
	if err := errors.Join(err1, err2); err != nil {
		return Shard{}, fmt.Errorf("shard %q: want whole numbers", orig)
	}
	ki += 1 - base
	if ni < 1 {
		return Shard{}, fmt.Errorf("shard %q: the number of shards must be 1 or more", orig)
	}
	if ki < 1 || ki > ni {
		return Shard{}, fmt.Errorf("shard %q: the index must be from %d to %d", orig, base, ni-1+base)
	}
	return Shard{K: ki, N: ni}, nil
}

// Item is one thing to place: a scenario file or a student.
type Item struct {
	// Key names it; items are placed in the order of their keys, so that
	// every machine makes the same split.
	Key string
	// Weight is its expected cost (steps, or seconds from a past run);
	// 0 or less counts as 1.
	Weight float64
}

// Split returns the indexes (into items) of the items of shard s, in the
// order of their keys. The items are sorted by weight, heaviest first,
// ties by key, and each goes to the shard that is lightest so far (the
// lowest K on a tie): the longest-processing-time rule, which keeps the
// longest shard within 4/3 of the best split. It depends only on the keys
// and weights, never on the order items are given in; keys must be
// distinct.
func Split(items []Item, s Shard) []int {
	return Assign(items, s.N)[s.K-1]
}

// Assign places every item: parts[k-1] lists the indexes of shard k's
// items, sorted by key.
func Assign(items []Item, n int) [][]int {
	if n < 1 {
		n = 1
	}
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	w := func(i int) float64 {
		if items[i].Weight > 0 {
			return items[i].Weight
		}
		return 1
	}
	sort.SliceStable(order, func(a, b int) bool {
		ia, ib := order[a], order[b]
		if w(ia) != w(ib) {
			return w(ia) > w(ib)
		}
		return items[ia].Key < items[ib].Key
	})
	parts := make([][]int, n)
	load := make([]float64, n)
	for _, i := range order {
		best := 0
		for k := 1; k < n; k++ {
			if load[k] < load[best] {
				best = k
			}
		}
		load[best] += w(i)
		parts[best] = append(parts[best], i)
	}
	for _, p := range parts {
		sort.Slice(p, func(a, b int) bool { return items[p[a]].Key < items[p[b]].Key })
	}
	return parts
}
