package tlsconf

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"math"
	"time"
)

// Info is what a connect result shows about a TLS session, as
// `result.tls`.
type Info struct {
	// Version is the negotiated version written as min_version takes it:
	// "1.0", "1.1", "1.2" or "1.3".
	Version string `expr:"version" json:"version"`
	// Cipher is the cipher suite's standard name, such as
	// TLS_AES_128_GCM_SHA256.
	Cipher string `expr:"cipher" json:"cipher"`
	// Cert describes the peer's leaf certificate.
	Cert CertInfo `expr:"cert" json:"cert"`
}

// CertInfo describes a certificate.
type CertInfo struct {
	// Subject and Issuer are distinguished names, such as
	// "CN=localhost,O=netrun".
	Subject string `expr:"subject" json:"subject"`
	Issuer  string `expr:"issuer" json:"issuer"`
	// SANs are the subject alternative names: DNS names, IP addresses,
	// email addresses and URIs.
	SANs      []string  `expr:"sans" json:"sans"`
	NotBefore time.Time `expr:"not_before" json:"not_before"`
	NotAfter  time.Time `expr:"not_after" json:"not_after"`
	// DaysLeft is the number of whole days until NotAfter; negative once
	// the certificate has expired.
	DaysLeft int `expr:"days_left" json:"days_left"`
	// SHA256 is the fingerprint of the certificate (its DER form) as
	// lower-case hex without separators.
	SHA256 string `expr:"sha256" json:"sha256"`
}

// Facts describes a TLS session from its connection state.
func Facts(cs tls.ConnectionState) *Info {
	info := &Info{Version: versionName(cs.Version), Cipher: tls.CipherSuiteName(cs.CipherSuite)}
	if len(cs.PeerCertificates) > 0 {
		info.Cert = CertFacts(cs.PeerCertificates[0], time.Now())
	}
	return info
}

// CertFacts describes c as seen at now.
func CertFacts(c *x509.Certificate, now time.Time) CertInfo {
	sans := make([]string, 0, len(c.DNSNames)+len(c.IPAddresses))
	sans = append(sans, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		sans = append(sans, ip.String())
	}
	sans = append(sans, c.EmailAddresses...)
	for _, u := range c.URIs {
		sans = append(sans, u.String())
	}
	sum := sha256.Sum256(c.Raw)
	return CertInfo{
		Subject:   c.Subject.String(),
		Issuer:    c.Issuer.String(),
		SANs:      sans,
		NotBefore: c.NotBefore,
		NotAfter:  c.NotAfter,
		DaysLeft:  daysLeft(c.NotAfter, now),
		SHA256:    hex.EncodeToString(sum[:]),
	}
}

// daysLeft counts whole days from now until t, rounding toward negative
// infinity, so that a certificate expiring in 10 hours has 0 days left and
// one that expired an hour ago has -1.
func daysLeft(t, now time.Time) int {
	return int(math.Floor(t.Sub(now).Hours() / 24))
}

// versionName writes a TLS version as min_version takes it.
func versionName(v uint16) string {
	switch v {
	case tls.VersionTLS10:
		return "1.0"
	case tls.VersionTLS11:
		return "1.1"
	case tls.VersionTLS12:
		return "1.2"
	case tls.VersionTLS13:
		return "1.3"
	case 0:
		return ""
	}
	return tls.VersionName(v)
}
