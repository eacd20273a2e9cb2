#!/usr/bin/env python3
"""Run two commands in turn, interleaved, N times each, and print the wall
time, CPU time and peak memory of each and the ratio first / second with
its min, median and max. The machine is shared: only ratios from the same
run mean anything, and the load average is printed with them.

    compare.py [-n N] NAME1 'COMMAND 1' [NAME 'COMMAND' ...] BASE 'BASELINE'

Each command is compared with the last one, the baseline (more than two
compare a build before and after a change in the same run).

Commands run with sh -c; their output goes to /dev/null; a command that
fails stops the comparison (a failed run proves nothing)."""
import argparse
import os
import statistics
import subprocess
import sys
import time


def run(cmd):
    t0 = time.monotonic()
    p = subprocess.Popen(["sh", "-c", cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("%s: failed:\n%s" % (cmd, err[-2000:]))
    # ru_maxrss is the largest child seen so far (KiB): the command itself.
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def spread(xs):
    return "min %.3g  median %.3g  max %.3g" % (min(xs), statistics.median(xs), max(xs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=7)
    ap.add_argument("names_cmds", nargs="+")
    a = ap.parse_args()
    if len(a.names_cmds) < 4 or len(a.names_cmds) % 2:
        ap.error("give NAME COMMAND pairs, at least two")
    pairs = list(zip(a.names_cmds[0::2], a.names_cmds[1::2]))
    res = {name: [] for name, _ in pairs}
    for i in range(a.n):
        order = pairs if i % 2 == 0 else pairs[::-1]
        for name, cmd in order:
            res[name].append(run(cmd))
    for name, _ in pairs:
        w = [r[0] for r in res[name]]
        c = [r[1] for r in res[name]]
        print("%-10s wall s: %s | cpu s: %s | peak MiB: %.0f" % (name, spread(w), spread(c), max(r[2] for r in res[name]) / 1024))
    base = pairs[-1][0]
    for name, _ in pairs[:-1]:
        rw = [x[0] / y[0] for x, y in zip(res[name], res[base])]
        rc = [x[1] / max(y[1], 1e-6) for x, y in zip(res[name], res[base])]
        print("ratio %s/%s wall: %s" % (name, base, spread(rw)))
        print("ratio %s/%s cpu:  %s" % (name, base, spread(rc)))
    print("load average: %s" % " ".join("%.2f" % x for x in os.getloadavg()))


if __name__ == "__main__":
    main()
