package bench

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/smtp"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/netrunhq/netrun/engine"
	"github.com/netrunhq/netrun/steps/all"
)

// slowConnect is what counts as a stalled connect: the 40 ms of a delayed
// ACK that Postfix waits for under Nagle's algorithm.
const slowConnect = 20 * time.Millisecond

// BenchmarkSMTPTLSConnect connects to the real Postfix (NETRUN_SMTP,
// STARTTLS, and NETRUN_SMTPS, implicit TLS), logs in and quits, through
// netrun and through Go's net/smtp, interleaved. It reports the median
// connect of each and how many of each took over 20 ms: net/smtp stalls
// there without TCP_QUICKACK. Skipped without the real servers.
func BenchmarkSMTPTLSConnect(b *testing.B) {
	starttls, implicit, ca := os.Getenv("NETRUN_SMTP"), os.Getenv("NETRUN_SMTPS"), os.Getenv("NETRUN_CA")
	if starttls == "" || implicit == "" || ca == "" {
		b.Skip("real servers: . /tmp/realservers.env")
	}
	reg, err := all.Registry()
	if err != nil {
		b.Fatal(err)
	}
	pem, err := os.ReadFile(ca)
	if err != nil {
		b.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	for _, m := range []struct{ mode, addr string }{{"starttls", starttls}, {"implicit", implicit}} {
		b.Run(m.mode, func(b *testing.B) {
			src := "name: c\nsteps:\n  - connect: smtp://" + m.addr + "\n    tls_mode: " + m.mode +
				"\n    tls: { ca: " + ca + " }\n    auth: { user: alice, password: secret }\n  - close: true\n"
			sc, err := engine.LoadBytes("c.yaml", []byte(src), reg, engine.LoadOptions{})
			if err != nil {
				b.Fatal(err)
			}
			var nr, gr []time.Duration
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if res := engine.Run(context.Background(), sc, engine.RunOptions{}); res.Status != engine.Passed {
					b.Fatalf("%s: %+v", res.Status, res.Failure)
				}
				t1 := time.Now()
				goSMTP(b, m.mode, m.addr, pool)
				nr, gr = append(nr, t1.Sub(t0)), append(gr, time.Since(t1))
			}
			report(b, "netrun", nr)
			report(b, "go", gr)
		})
	}
}

func report(b *testing.B, name string, ds []time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	slow := 0
	for _, d := range ds {
		if d > slowConnect {
			slow++
		}
	}
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, name+"-median-ms")
	b.ReportMetric(float64(slow)/float64(len(ds)), name+"-slow-fraction")
}

// goSMTP is the baseline: net/smtp's connect, STARTTLS, AUTH PLAIN, QUIT.
func goSMTP(b *testing.B, mode, addr string, pool *x509.CertPool) {
	host, _, _ := net.SplitHostPort(addr)
	cfg := &tls.Config{RootCAs: pool, ServerName: host}
	var c *smtp.Client
	var err error
	if mode == "implicit" {
		var tc *tls.Conn
		if tc, err = tls.Dial("tcp", addr, cfg); err == nil {
			c, err = smtp.NewClient(tc, host)
		}
	} else if c, err = smtp.Dial(addr); err == nil {
		err = c.StartTLS(cfg)
	}
	if err == nil {
		err = c.Auth(smtp.PlainAuth("", "alice", "secret", host))
	}
	if err == nil {
		err = c.Quit()
	}
	if err != nil {
		b.Fatal(err)
	}
}
