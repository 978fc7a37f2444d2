package certs

import (
	"crypto/tls"
	"fmt"
	"os"
	"sync"
	"time"
)

// Reloader serves a certificate from files and reloads it when either
// file changes, checking at most once per Interval. A change that does
// not load (a half-written pair) keeps the previous certificate.
type Reloader struct {
	certFile, keyFile string
	// Interval between checks of the files; 0 means 2 s.
	Interval time.Duration
	// OnReload hears about every reload and failed reload.
	OnReload func(err error)

	mu      sync.Mutex
	cert    *tls.Certificate
	stamp   string // modification times and sizes of the two files
	checked time.Time
}

// NewReloader loads the pair once; an error here stops the start.
func NewReloader(certFile, keyFile string) (*Reloader, error) {
	r := &Reloader{certFile: certFile, keyFile: keyFile}
	stamp, err := r.stampNow()
	if err != nil {
		return nil, err
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("TLS certificate: %w", err)
	}
	r.cert, r.stamp, r.checked = &cert, stamp, time.Now()
	return r, nil
}

func (r *Reloader) stampNow() (string, error) {
	var stamp string
	for _, f := range []string{r.certFile, r.keyFile} {
		st, err := os.Stat(f)
		if err != nil {
			return "", fmt.Errorf("TLS certificate: %w", err)
		}
		stamp += fmt.Sprintf("%d/%d;", st.ModTime().UnixNano(), st.Size())
	}
	return stamp, nil
}

// GetCertificate is for tls.Config.GetCertificate.
func (r *Reloader) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	interval := r.Interval
	if interval == 0 {
		interval = 2 * time.Second
	}
	if time.Since(r.checked) >= interval {
		r.checked = time.Now()
		r.reload()
	}
	return r.cert, nil
}

// reload loads the pair again if the files changed. Caller holds mu.
func (r *Reloader) reload() {
	stamp, err := r.stampNow()
	if err == nil && stamp == r.stamp {
		return
	}
	if err == nil {
		var cert tls.Certificate
		if cert, err = tls.LoadX509KeyPair(r.certFile, r.keyFile); err == nil {
			r.cert, r.stamp = &cert, stamp
		}
	}
	if r.OnReload != nil {
		r.OnReload(err)
	}
}

// Config returns a server TLS configuration: TLS 1.2 and later, the
// certificate from r.
func (r *Reloader) Config() *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: r.GetCertificate}
}
