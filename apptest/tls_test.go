package apptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeCert writes a self-signed certificate for 127.0.0.1 with the given
// serial as tls.crt and tls.key in dir, each by rename as a Secret
// update would.
func writeCert(t *testing.T, dir string, serial int64) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "zeptodb"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	for name, block := range map[string]*pem.Block{"tls.crt": {Type: "CERTIFICATE", Bytes: der}, "tls.key": {Type: "EC PRIVATE KEY", Bytes: kder}} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path+".tmp", pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(path+".tmp", path); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTLS: --tls-cert/--tls-key serve HTTPS only, TLS 1.2 and later, and
// a renewed certificate is served without a restart.
func TestTLS(t *testing.T) {
	buildBinary(t)
	dir := t.TempDir()
	writeCert(t, dir, 1)
	port := freePort(t)
	cmd := exec.Command(binary, "serve", "--port", fmt.Sprint(port), "--data-dir", filepath.Join(dir, "data"), "--ilp-port", "0",
		"--tls-cert", filepath.Join(dir, "tls.crt"), "--tls-key", filepath.Join(dir, "tls.key"))
	log := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	// serial dials a fresh TLS connection and returns the serial served.
	serial := func(cfg *tls.Config) (int64, error) {
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: time.Second}, "tcp", addr, cfg)
		if err != nil {
			return 0, err
		}
		defer conn.Close()
		return conn.ConnectionState().PeerCertificates[0].SerialNumber.Int64(), nil
	}
	insecure := &tls.Config{InsecureSkipVerify: true}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := serial(insecure); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no TLS listener:\n%s", log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	pool := x509.NewCertPool()
	pem, _ := os.ReadFile(filepath.Join(dir, "tls.crt"))
	pool.AppendCertsFromPEM(pem)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 5 * time.Second}
	for {
		resp, err := client.Get("https://" + addr + "/ready")
		if err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("HTTPS /ready: %v\n%s", err, log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	resp, err := client.Post("https://"+addr+"/", "text/plain", strings.NewReader("SELECT 1"))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("a query over HTTPS: %v", err)
	}
	resp.Body.Close()
	if resp, err := http.Get("http://" + addr + "/ping"); err == nil && resp.StatusCode == 200 {
		t.Fatal("plain HTTP answered on the TLS port")
	}
	if _, err := serial(&tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS11}); err == nil {
		t.Fatal("a TLS 1.1 handshake succeeded")
	}
	// Renewed in place: new connections get the new certificate.
	time.Sleep(20 * time.Millisecond)
	writeCert(t, dir, 2)
	for {
		if s, err := serial(insecure); err == nil && s == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the renewed certificate is not served:\n%s", log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The log line may reach us a moment after the new certificate does.
	for !strings.Contains(log.String(), "TLS certificate reloaded") {
		if time.Now().After(deadline) {
			t.Fatalf("the reload is not logged:\n%s", log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
