package apptest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// vaultAPI answers the requests zeptodb sends to Vault, as Vault's HTTP
// API documents them: a Kubernetes login at /v1/auth/kubernetes/login and
// KV v2 reads at /v1/secret/data/zeptodb with the X-Vault-Token it got.
// It stands in for Vault because a Vault dev server could not be built
// from the Go module proxy here (docs/operations.md says so).
type vaultAPI struct {
	mu     sync.Mutex
	fields map[string]any
	down   bool
}

func (v *vaultAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v.mu.Lock()
	defer v.mu.Unlock()
	switch {
	case v.down:
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"errors":["Vault is sealed"]}`))
	case r.URL.Path == "/v1/auth/kubernetes/login":
		var req struct{ Role, JWT string }
		if json.NewDecoder(r.Body).Decode(&req) != nil || req.Role != "zeptodb" || req.JWT != "sa-token-of-the-pod" {
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"errors":["permission denied"]}`))
			return
		}
		w.Write([]byte(`{"auth":{"client_token":"hvs.pod","lease_duration":3600}}`))
	case r.URL.Path == "/v1/secret/data/zeptodb" && r.Header.Get("X-Vault-Token") == "hvs.pod":
		json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"data": v.fields}})
	default:
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"errors":["permission denied"]}`))
	}
}

func (v *vaultAPI) set(f func()) {
	v.mu.Lock()
	defer v.mu.Unlock()
	f()
}

// TestVaultSecrets: with vault_path set the server logs in with the
// pod's service account, takes its API keys and HS256 secret from the KV
// v2 secret, follows a rotation on SIGHUP, keeps its keys while Vault is
// down, and refuses to start when Vault cannot be read.
func TestVaultSecrets(t *testing.T) {
	buildBinary(t)
	dir := t.TempDir()
	keyA, keyB := "zepto_"+strings.Repeat("a1", 32), "zepto_"+strings.Repeat("b2", 32)
	secret := strings.Repeat("vault-jwt-", 4)
	vault := &vaultAPI{fields: map[string]any{"api_keys": keyA + " admin ops", "jwt_secret": secret}}
	srv := httptest.NewServer(vault)
	defer srv.Close()
	sa := filepath.Join(dir, "sa-token")
	os.WriteFile(sa, []byte("sa-token-of-the-pod\n"), 0o600)
	t.Setenv("JWT_SECRET", strings.Repeat("env-secret-", 4)) // Vault comes first
	args := []string{"--host", "0.0.0.0", "--vault-addr", srv.URL, "--vault-path", "zeptodb", "--vault-role", "zeptodb", "--vault-service-account-token-file", sa}
	s := start(t, filepath.Join(dir, "data"), args...)

	token := func(key string) string {
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "sso", "role": "reader", "exp": time.Now().Add(time.Hour).Unix()}).SignedString([]byte(key))
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	check := func(what, cred string, want int) {
		t.Helper()
		if code, body := send(t, "POST", s.url+"/", "SELECT 1", bearer(cred)); code != want {
			t.Fatalf("%s: %d, want %d: %s", what, code, want, body)
		}
	}
	check("key from Vault", keyA, 200)
	check("other key", keyB, 401)
	check("JWT signed with Vault's secret", token(secret), 200)
	check("JWT signed with the environment's secret", token(strings.Repeat("env-secret-", 4)), 401)

	vault.set(func() { vault.fields["api_keys"] = keyB + " admin ops" }) // rotation
	s.cmd.Process.Signal(syscall.SIGHUP)
	if !s.waitLog("API keys reloaded") {
		t.Fatalf("no reload:\n%s", s.log.String())
	}
	check("rotated-out key", keyA, 401)
	check("rotated-in key", keyB, 200)

	vault.set(func() { vault.down = true })
	s.cmd.Process.Signal(syscall.SIGHUP)
	if !s.waitLog("Vault is sealed") {
		t.Fatalf("no error logged while Vault is down:\n%s", s.log.String())
	}
	check("keys kept while Vault is down", keyB, 200)
	if strings.Contains(s.log.String(), keyB) || strings.Contains(s.log.String(), secret) || strings.Contains(s.log.String(), "sa-token-of-the-pod") {
		t.Fatal("a secret is in the log")
	}

	// Without Vault, a mounted file comes before the environment.
	file := filepath.Join(dir, "JWT_SECRET")
	os.WriteFile(file, []byte(secret+"-from-file\n"), 0o600)
	s2 := start(t, filepath.Join(dir, "third"), "--jwt-secret-file", file)
	for _, c := range []struct {
		key  string
		want int
	}{{secret + "-from-file", 200}, {strings.Repeat("env-secret-", 4), 401}} {
		if code, body := send(t, "POST", s2.url+"/", "SELECT 1", bearer(token(c.key))); code != c.want {
			t.Fatalf("jwt_secret_file: %d, want %d: %s", code, c.want, body)
		}
	}

	// A server that cannot read its secrets does not start.
	cmd := exec.Command(binary, append([]string{"serve", "--port", fmt.Sprint(freePort(t)), "--data-dir", filepath.Join(dir, "second")}, args...)...)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "Vault is sealed") {
		t.Fatalf("started while Vault was down: %v\n%s", err, out)
	}
}
