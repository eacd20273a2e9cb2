#!/usr/bin/env python3
"""netrun exporter against blackbox_exporter, probing the same SMTP server
the same way (greeting, EHLO, STARTTLS, EHLO, QUIT; examples/exporter/
smtp_starttls.yaml and blackbox.yml), in the same run, interleaved.

Each round sends K probes to one exporter, then K to the other (the order
alternates), and measures per probe the latency seen by the scraper and
the CPU time the exporter process spent (utime + stime from /proc). It
prints, per round, the ratios netrun / blackbox, then their min / median /
max, the absolute medians and the load average.

  NETRUN=bin/netrun python3 test/bench/exporter_blackbox.py [ROUNDS] [K]

Needs the real Postfix (test/realservers/mail-up.sh; NETRUN_SMTP) and
prometheus-blackbox-exporter.
"""
import os, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 15
K = int(sys.argv[2]) if len(sys.argv) > 2 else 20
TARGET = os.environ.get("NETRUN_SMTP", "127.0.0.1:10025")
TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def probe(url):
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=15) as r:
        body = r.read().decode()
    took = time.perf_counter() - t
    ok = ("netrun_probe_success 1" in body) or ("\nprobe_success 1" in body)
    if not ok:
        sys.exit(f"probe failed: {url}\n{body}")
    return took


def wait_up(url):
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except Exception:
            time.sleep(0.1)
    sys.exit(f"{url} did not come up")


def batch(pid, url):
    c0 = cpu_seconds(pid)
    lat = [probe(url) for _ in range(K)]
    return statistics.median(lat), (cpu_seconds(pid) - c0) / K


def main():
    netrun = os.environ.get("NETRUN") or os.path.join(ROOT, "bin", "netrun")
    bb = shutil.which("prometheus-blackbox-exporter")
    if not bb or not os.path.exists(netrun):
        sys.exit("needs prometheus-blackbox-exporter and NETRUN=path/to/netrun (go build -o bin/netrun ./cmd/netrun)")
    ex = os.path.join(ROOT, "examples", "exporter")
    np, bp = free_port(), free_port()
    env = dict(os.environ, NETRUN_MAIL_PASSWORD=os.environ.get("NETRUN_MAIL_PASSWORD", "secret"))
    procs = [
        subprocess.Popen([netrun, "exporter", "--listen", f"127.0.0.1:{np}", "--config", os.path.join(ex, "exporter.yaml")],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen([bb, "--config.file", os.path.join(ex, "blackbox.yml"), "--web.listen-address", f"127.0.0.1:{bp}"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    try:
        urls = [f"http://127.0.0.1:{np}/probe?module=smtp_starttls&target={TARGET}",
                f"http://127.0.0.1:{bp}/probe?module=smtp_starttls&target={TARGET}"]
        wait_up(f"http://127.0.0.1:{np}/metrics")
        wait_up(f"http://127.0.0.1:{bp}/metrics")
        for u in urls:
            for _ in range(5):
                probe(u)  # warm up
        lat_r, cpu_r, abs_n, abs_b = [], [], [], []
        for r in range(ROUNDS):
            order = [0, 1] if r % 2 == 0 else [1, 0]
            res = {}
            for i in order:
                res[i] = batch(procs[i].pid, urls[i])
            (ln, cn), (lb, cb) = res[0], res[1]
            lat_r.append(ln / lb)
            cpu_r.append(cn / cb if cb > 0 else float("nan"))
            abs_n.append((ln, cn))
            abs_b.append((lb, cb))
            print(f"round {r+1:2d}: latency {ln*1e3:7.2f} ms vs {lb*1e3:7.2f} ms ({ln/lb:5.2f}x)  "
                  f"cpu/probe {cn*1e3:6.2f} ms vs {cb*1e3:6.2f} ms ({cpu_r[-1]:5.2f}x)")

        def mmm(xs):
            xs = [x for x in xs if x == x]
            return f"min {min(xs):.2f} / median {statistics.median(xs):.2f} / max {max(xs):.2f}"
        print(f"\n{ROUNDS} rounds of {K} probes each, {TARGET}")
        print(f"latency ratio netrun/blackbox:        {mmm(lat_r)}")
        print(f"cpu per probe ratio netrun/blackbox:  {mmm(cpu_r)}")
        print(f"netrun   median latency {statistics.median(x[0] for x in abs_n)*1e3:.2f} ms, cpu/probe {statistics.median(x[1] for x in abs_n)*1e3:.2f} ms")
        print(f"blackbox median latency {statistics.median(x[0] for x in abs_b)*1e3:.2f} ms, cpu/probe {statistics.median(x[1] for x in abs_b)*1e3:.2f} ms")
        print("load average:", open("/proc/loadavg").read().split()[:3])
    finally:
        for p in procs:
            p.terminate()
            p.wait()


if __name__ == "__main__":
    main()
