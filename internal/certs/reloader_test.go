package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// writePair writes a self-signed certificate for 127.0.0.1 with the given
// serial to dir and returns the file paths.
func writePair(t *testing.T, dir string, serial int64) (string, string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "zeptodb-test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	os.WriteFile(certFile+".tmp", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile+".tmp", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	os.Rename(certFile+".tmp", certFile)
	os.Rename(keyFile+".tmp", keyFile)
	return certFile, keyFile
}

func TestReloadOnChange(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := writePair(t, dir, 1)
	r, err := NewReloader(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	r.Interval = time.Nanosecond
	var reloads []error
	r.OnReload = func(err error) { reloads = append(reloads, err) }
	serial := func() int64 {
		c, _ := r.GetCertificate(nil)
		leaf, _ := x509.ParseCertificate(c.Certificate[0])
		return leaf.SerialNumber.Int64()
	}
	if serial() != 1 || len(reloads) != 0 {
		t.Fatalf("first: serial %d, %d reloads", serial(), len(reloads))
	}
	time.Sleep(10 * time.Millisecond) // a new modification time
	writePair(t, dir, 2)
	if serial() != 2 || len(reloads) != 1 || reloads[0] != nil {
		t.Fatalf("after a renewal: serial %d, reloads %v", serial(), reloads)
	}
	os.WriteFile(keyFile, []byte("half written"), 0o600)
	if serial() != 2 || len(reloads) != 2 || reloads[1] == nil {
		t.Fatalf("a broken key file: serial %d, reloads %v", serial(), reloads)
	}
	if cfg := r.Config(); cfg.MinVersion != tls.VersionTLS12 {
		t.Fatal("TLS below 1.2 allowed")
	}
	if _, err := NewReloader(certFile, keyFile); err == nil {
		t.Fatal("a broken pair loaded at start")
	}
	if _, err := NewReloader(filepath.Join(dir, "none"), keyFile); err == nil {
		t.Fatal("a missing file loaded at start")
	}
}
