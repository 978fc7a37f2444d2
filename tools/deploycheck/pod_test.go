package deploycheck

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// TestPodRuns takes the rendered pod — its container args, its
// ConfigMap, its Secret mounts — lays the mounts out under a directory as
// the kubelet would, starts the real zeptodb binary exactly so, and calls
// it the way the probes, Prometheus and a client do.
func TestPodRuns(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "zeptodb")
	build := exec.Command("go", "build", "-o", bin, "./cmd/zeptodb")
	build.Dir = "../.."
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	port := freePort(t)
	r, err := render("tls.enabled=true", fmt.Sprintf("service.port=%d", port))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir() // the pod's file system: /etc/zeptodb/... → root/etc/zeptodb/...
	inPod := func(path string) string { return filepath.Join(root, path) }
	pod := r.deployment(t).Spec.Template.Spec
	c := pod.Containers[0]

	// The mounts: ConfigMap, TLS Secret, keys Secret, data volume.
	conf := r.configMap(t).Data["zeptodb.conf"]
	for _, dir := range []string{"/etc/zeptodb", "/var/lib/zeptodb"} {
		conf = strings.ReplaceAll(conf, dir, inPod(dir))
	}
	conf = strings.Replace(conf, "host: 0.0.0.0", "host: 127.0.0.1", 1) // the test's own loopback
	for _, m := range c.VolumeMounts {
		v := volume(pod, m.Name)
		target := inPod(m.MountPath)
		switch {
		case v.ConfigMap != nil:
			writeFile(t, target, conf)
		case v.Secret != nil && v.Secret.SecretName == "zeptodb-tls":
			certPEM, keyPEM := selfSigned(t)
			writeFile(t, filepath.Join(target, "tls.crt"), certPEM)
			writeFile(t, filepath.Join(target, "tls.key"), keyPEM)
		case v.Secret != nil && v.Secret.SecretName == "zeptodb-auth":
			os.MkdirAll(target, 0o700)
		case v.PersistentVolumeClaim != nil:
			os.MkdirAll(target, 0o700)
		default:
			t.Fatalf("mount %s of volume %+v: the test does not know it", m.MountPath, v)
		}
	}
	out, err := exec.Command(bin, "keys", "create", "--role", "admin", "--name", "ops", "--file", inPod("/etc/zeptodb/auth/keys.txt")).Output()
	if err != nil {
		t.Fatalf("keys create: %v", err)
	}
	key := strings.TrimSpace(string(out))
	key = key[strings.LastIndex(key, "zepto_"):]

	args := append([]string(nil), c.Args...)
	for i, a := range args {
		if strings.HasPrefix(a, "/etc/zeptodb/") {
			args[i] = inPod(a)
		}
	}
	server := exec.Command(bin, args...)
	server.Env = append(os.Environ(), "JWT_SECRET="+strings.Repeat("j", 32)) // as the zeptodb-jwt Secret gives it
	var logs strings.Builder
	server.Stdout, server.Stderr = &logs, &logs
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	defer server.Process.Kill()
	exited := make(chan struct{})
	go func() { server.Wait(); close(exited) }()

	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	get := func(p *corev1.Probe) int {
		url := fmt.Sprintf("%s://127.0.0.1:%d%s", strings.ToLower(string(p.HTTPGet.Scheme)), port, p.HTTPGet.Path)
		resp, err := client.Get(url)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	deadline := time.Now().Add(30 * time.Second)
	for get(c.ReadinessProbe) != 200 {
		select {
		case <-exited:
			t.Fatalf("zeptodb exited:\n%s", logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("readiness probe never passed:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code := get(c.LivenessProbe); code != 200 {
		t.Fatalf("liveness probe: %d", code)
	}
	scheme := r.deployment(t).Spec.Template.Annotations["prometheus.io/scheme"]
	resp, err := client.Get(fmt.Sprintf("%s://127.0.0.1:%d%s", scheme, port, r.deployment(t).Spec.Template.Annotations["prometheus.io/path"]))
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(metrics), "zepto_server_up 1") {
		t.Fatalf("scrape: %d\n%.300s", resp.StatusCode, metrics)
	}
	for _, cred := range []struct {
		key  string
		want int
	}{{"", 401}, {key, 200}} {
		req, _ := http.NewRequest("POST", fmt.Sprintf("https://127.0.0.1:%d/", port), strings.NewReader("SELECT 1"))
		if cred.key != "" {
			req.Header.Set("Authorization", "Bearer "+cred.key)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != cred.want {
			t.Fatalf("query with a key %v: %d, want %d", cred.key != "", resp.StatusCode, cred.want)
		}
	}
	if resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/ping", port)); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Fatal("plain HTTP served although the chart turned TLS on")
		}
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// selfSigned returns a certificate for 127.0.0.1 and its key, as a
// kubernetes.io/tls Secret holds them.
func selfSigned(t *testing.T) (certPEM, keyPEM string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "zeptodb"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))
}
