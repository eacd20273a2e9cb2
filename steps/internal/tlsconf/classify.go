package tlsconf

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"reflect"
	"strings"
	"time"
)

// Error is a TLS failure with its reason in words. It wraps the error
// crypto/tls returned, so errors.As still finds x509 and tls error types.
type Error struct {
	// Reason names what went wrong, such as "certificate signed by unknown
	// authority (issuer "CN=Other CA")".
	Reason string
	// Err is the original error.
	Err error
}

// Error returns "tls: " and the reason.
func (e *Error) Error() string { return "tls: " + e.Reason }

// Unwrap returns the original error.
func (e *Error) Unwrap() error { return e.Err }

// Classify explains a TLS handshake error, or a read error after a TLS 1.3
// handshake (where the server reports a refused client certificate), in
// words that name the reason. Timeouts, cancellation and errors that are
// not about TLS are returned unchanged; nil stays nil.
func Classify(err error) error {
	return classifyAt(err, time.Now())
}

func classifyAt(err error, now time.Time) error {
	if err == nil {
		return nil
	}
	var already *Error
	if errors.As(err, &already) {
		return err
	}
	if reason := reasonOf(err, now); reason != "" {
		return &Error{Reason: reason, Err: err}
	}
	return err
}

// reasonOf names the reason of err, or returns "" when err is not one that
// Classify explains.
func reasonOf(err error, now time.Time) string {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var host x509.HostnameError
	var record tls.RecordHeaderError
	var op *net.OpError
	switch {
	case errors.As(err, &unknown):
		return unknownAuthority(unknown)
	case errors.As(err, &invalid):
		return invalidCert(invalid, now)
	case errors.As(err, &host):
		return hostnameMismatch(host)
	case errors.As(err, &record):
		return "the peer did not answer with TLS (is this a plain-text port?)"
	case errors.As(err, &op) && op.Op == "remote error":
		if code, ok := alertCode(op.Err); ok {
			return remoteAlert(code, op.Err)
		}
	}
	var alert tls.AlertError
	if errors.As(err, &alert) {
		return remoteAlert(uint8(alert), alert)
	}
	var verify *tls.CertificateVerificationError
	if errors.As(err, &verify) {
		return "certificate verification failed: " + strings.TrimPrefix(verify.Err.Error(), "x509: ")
	}
	msg := err.Error()
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "the peer closed the connection during the TLS handshake"
	case strings.Contains(msg, "server selected unsupported protocol version"):
		return "the server only offers a TLS version older than min_version (" + msg + ")"
	case strings.Contains(msg, "client offered only unsupported versions"):
		return "the client only offers TLS versions older than min_version (" + msg + ")"
	case strings.Contains(msg, "no cipher suite supported by both"):
		return "handshake failure: no cipher suite supported by both sides"
	case strings.Contains(msg, "client didn't provide a certificate"):
		return "the client sent no certificate, but this listener requires one (ca is set)"
	}
	return ""
}

func unknownAuthority(e x509.UnknownAuthorityError) string {
	const msg = "certificate signed by unknown authority"
	c := e.Cert
	if c == nil {
		return msg
	}
	if c.Subject.String() == c.Issuer.String() && c.CheckSignatureFrom(c) == nil {
		return fmt.Sprintf("%s (self-signed certificate %q)", msg, c.Subject.String())
	}
	return fmt.Sprintf("%s (issuer %q)", msg, c.Issuer.String())
}

func invalidCert(e x509.CertificateInvalidError, now time.Time) string {
	c := e.Cert
	switch e.Reason {
	case x509.Expired:
		if c == nil {
			return "certificate expired or not yet valid"
		}
		if now.Before(c.NotBefore) {
			return fmt.Sprintf("certificate not yet valid (not before %s)", c.NotBefore.UTC().Format(time.RFC3339))
		}
		return fmt.Sprintf("certificate expired (not after %s)", c.NotAfter.UTC().Format(time.RFC3339))
	case x509.NotAuthorizedToSign:
		return "certificate chain invalid: an issuer is not allowed to sign certificates (not a CA)"
	case x509.IncompatibleUsage:
		return "certificate not valid for this use (its extended key usage does not allow it)"
	case x509.CANotAuthorizedForThisName, x509.NameConstraintsWithoutSANs:
		return "certificate name not allowed by its issuer's name constraints"
	case x509.TooManyIntermediates:
		return "certificate chain too long"
	}
	return "certificate invalid: " + strings.TrimPrefix(e.Error(), "x509: ")
}

func hostnameMismatch(e x509.HostnameError) string {
	c := e.Certificate
	if c == nil {
		return fmt.Sprintf("hostname mismatch: certificate is not valid for %s", e.Host)
	}
	names := make([]string, 0, len(c.DNSNames)+len(c.IPAddresses))
	names = append(names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		return fmt.Sprintf("hostname mismatch: certificate %q has no subject alternative names, so it is not valid for %s",
			c.Subject.String(), e.Host)
	}
	return fmt.Sprintf("hostname mismatch: certificate is valid for %s, not %s", strings.Join(names, ", "), e.Host)
}

// alertCode extracts the alert number of a remote TLS alert. crypto/tls
// reports it as an unexported uint8 type.
func alertCode(err error) (uint8, bool) {
	if err == nil {
		return 0, false
	}
	v := reflect.ValueOf(err)
	if v.Kind() != reflect.Uint8 || v.Type().PkgPath() != "crypto/tls" {
		return 0, false
	}
	return uint8(v.Uint()), true
}

// remoteAlert explains an alert sent by the peer.
func remoteAlert(code uint8, err error) string {
	name := strings.TrimPrefix(err.Error(), "tls: ")
	switch code {
	case 40:
		return "the peer refused the handshake (handshake failure: no common cipher suite, version or a missing client certificate)"
	case 42:
		return "the peer rejected our certificate (bad certificate)"
	case 45:
		return "the peer rejected our certificate as expired"
	case 46, 48:
		return "the peer does not trust our certificate (" + name + ")"
	case 70:
		return "the peer does not support the TLS version we offer (protocol version alert; check min_version)"
	case 112:
		return "the server does not know the name we asked for (unrecognized name; check sni)"
	case 116:
		return "the server requires a client certificate (set tls cert and key)"
	}
	return fmt.Sprintf("the peer sent alert %q", name)
}

// ClassifyAlert explains a TLS alert that the peer sent after the
// handshake, such as a TLS 1.3 server refusing our client certificate on
// the first read. Other errors are returned unchanged.
func ClassifyAlert(err error) error {
	var op *net.OpError
	if err == nil || !errors.As(err, &op) || op.Op != "remote error" {
		return err
	}
	if code, ok := alertCode(op.Err); ok {
		return &Error{Reason: remoteAlert(code, op.Err), Err: err}
	}
	return err
}
