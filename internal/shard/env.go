package shard

import (
	"fmt"
	"strings"
)

// Source says where the numbers of a shard came from, for the line netrun
// prints: "--shard", "NETRUN_SHARD", "CI_NODE_INDEX/CI_NODE_TOTAL", ...
type Source string

// FromEnv finds the shard that the engine running netrun set in the
// environment, read through getenv (os.Getenv), in this order:
//
//   - NETRUN_SHARD=K/N, K from 1 (anything: a GitHub Actions matrix);
//   - JOB_COMPLETION_INDEX (Kubernetes Indexed Job, from 0) with the total
//     from NETRUN_SHARDS, else JOB_COMPLETIONS (set it from the Job's
//     spec.completions; Kubernetes does not);
//   - CI_NODE_INDEX and CI_NODE_TOTAL (GitLab parallel:, from 1).
//
// ok is false when none is set: the whole run. A variable that is set but
// wrong is an error naming it.
func FromEnv(getenv func(string) string) (s Shard, src Source, ok bool, err error) {
	if v := getenv("NETRUN_SHARD"); v != "" {
		s, err = Parse(v)
		return s, "NETRUN_SHARD", err == nil, wrapEnv(err, "NETRUN_SHARD")
	}
	if idx := getenv("JOB_COMPLETION_INDEX"); idx != "" {
		total, name := getenv("NETRUN_SHARDS"), "NETRUN_SHARDS"
		if total == "" {
			total, name = getenv("JOB_COMPLETIONS"), "JOB_COMPLETIONS"
		}
		src = Source("JOB_COMPLETION_INDEX (from 0) and " + name)
		if total == "" {
			return Shard{}, src, false, fmt.Errorf("JOB_COMPLETION_INDEX=%s is set (a Kubernetes Indexed Job) but not the number of shards: set NETRUN_SHARDS (or JOB_COMPLETIONS) to the Job's completions", idx)
		}
		s, err = fromInts(idx, total, 0, idx+" of "+total)
		return s, src, err == nil, wrapEnv(err, string(src))
	}
	idx, total := getenv("CI_NODE_INDEX"), getenv("CI_NODE_TOTAL")
	if idx != "" || total != "" {
		src = "CI_NODE_INDEX/CI_NODE_TOTAL"
		if idx == "" || total == "" {
			return Shard{}, src, false, fmt.Errorf("CI_NODE_INDEX and CI_NODE_TOTAL (GitLab parallel:) must be set together")
		}
		s, err = fromInts(idx, total, 1, idx+"/"+total)
		return s, src, err == nil, wrapEnv(err, string(src))
	}
	return Shard{}, "", false, nil
}

func wrapEnv(err error, name string) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", name, err)
}

// Resolve picks the shard: flag (--shard K/N) when not empty, else the
// environment. It returns the line to print on stderr ("" for a whole
// run that nothing asked to shard). what is "scenarios" or "students".
func Resolve(flag string, getenv func(string) string) (s Shard, src Source, err error) {
	if strings.TrimSpace(flag) != "" {
		s, err = Parse(flag)
		return s, "--shard", wrapEnv(err, "--shard")
	}
	s, src, ok, err := FromEnv(getenv)
	if err != nil || !ok {
		return Shard{K: 1, N: 1}, src, err
	}
	return s, src, nil
}

// Line is the one line netrun prints on stderr about the shard it runs.
func Line(s Shard, src Source, n, total int, what string) string {
	return fmt.Sprintf("netrun: shard %s (from %s): %d of %d %s", s, src, n, total, what)
}
