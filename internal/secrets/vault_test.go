package secrets

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// vaultServer answers the part of Vault's HTTP API the client uses, as
// Vault documents it: KV v2 reads at /v1/<mount>/data/<path> with
// X-Vault-Token, Kubernetes logins at /v1/auth/<mount>/login, errors as
// {"errors": [...]}. It is no Vault: a real dev server could not be built
// from the module proxy (see docs/operations.md).
type vaultServer struct {
	mu        sync.Mutex
	tokens    map[string]bool
	fields    map[string]any
	saToken   string // the service account token the login accepts
	namespace string // required X-Vault-Namespace, if set
	logins    int
	reads     int
}

func (v *vaultServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v.mu.Lock()
	defer v.mu.Unlock()
	fail := func(code int, msg string) {
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(map[string][]string{"errors": {msg}})
	}
	if r.Header.Get("X-Vault-Namespace") != v.namespace {
		fail(http.StatusForbidden, "permission denied")
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v1/auth/kubernetes/login":
		var req struct{ Role, JWT string }
		if json.NewDecoder(r.Body).Decode(&req) != nil || req.Role != "zeptodb" || req.JWT != v.saToken {
			fail(http.StatusForbidden, "permission denied")
			return
		}
		v.logins++
		token := "hvs.login" + strings.Repeat("x", v.logins)
		v.tokens[token] = true
		json.NewEncoder(w).Encode(map[string]any{"auth": map[string]any{"client_token": token, "lease_duration": 3600, "renewable": true}})
	case r.Method == http.MethodGet && r.URL.Path == "/v1/secret/data/zeptodb":
		if !v.tokens[r.Header.Get("X-Vault-Token")] {
			fail(http.StatusForbidden, "permission denied")
			return
		}
		v.reads++
		json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"data": v.fields, "metadata": map[string]any{"version": 3}}})
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/secret/data/"):
		fail(http.StatusNotFound, "")
	default:
		fail(http.StatusNotFound, "unsupported path")
	}
}

func newVaultServer(t *testing.T) (*vaultServer, *httptest.Server) {
	v := &vaultServer{tokens: map[string]bool{"root-token": true}, saToken: "eyJ.sa.token",
		fields: map[string]any{"jwt_secret": "from-vault-0123456789abcdef0123456789", "api_keys": "zepto_ab admin ops", "n": 1}}
	s := httptest.NewServer(v)
	t.Cleanup(s.Close)
	return v, s
}

func TestVaultRead(t *testing.T) {
	v, srv := newVaultServer(t)
	dir := t.TempDir()
	sa := filepath.Join(dir, "sa-token")
	os.WriteFile(sa, []byte("eyJ.sa.token\n"), 0o600)
	tokenFile := filepath.Join(dir, "vault-token")
	os.WriteFile(tokenFile, []byte("root-token\n"), 0o600)
	tests := []struct {
		name string
		opts VaultOptions
		err  string
	}{
		{"token", VaultOptions{Addr: srv.URL, Path: "zeptodb", Token: "root-token"}, ""},
		{"token file", VaultOptions{Addr: srv.URL, Path: "zeptodb", TokenFile: tokenFile}, ""},
		{"kubernetes login", VaultOptions{Addr: srv.URL, Path: "zeptodb", Role: "zeptodb", ServiceAccountTokenFile: sa}, ""},
		{"wrong token", VaultOptions{Addr: srv.URL, Path: "zeptodb", Token: "nope"}, "HTTP 403: permission denied"},
		{"wrong role", VaultOptions{Addr: srv.URL, Path: "zeptodb", Role: "other", ServiceAccountTokenFile: sa}, `kubernetes login (role "other"`},
		{"no service account token", VaultOptions{Addr: srv.URL, Path: "zeptodb", Role: "zeptodb", ServiceAccountTokenFile: filepath.Join(dir, "none")}, "service account token"},
		{"no such secret", VaultOptions{Addr: srv.URL, Path: "other", Token: "root-token"}, "no such secret"},
		{"wrong mount", VaultOptions{Addr: srv.URL, Path: "zeptodb", KVMount: "kv", Token: "root-token"}, `no KV v2 engine at "kv" (HTTP 404: unsupported path)`},
		{"namespace", VaultOptions{Addr: srv.URL, Path: "zeptodb", Token: "root-token", Namespace: "desk"}, "HTTP 403"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vault, err := NewVault(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := vault.Read(context.Background())
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %v, want an error with %q", err, tt.err)
				}
				if strings.Contains(err.Error(), "root-token") || strings.Contains(err.Error(), "eyJ.sa.token") {
					t.Fatalf("the error shows a credential: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got["jwt_secret"] != "from-vault-0123456789abcdef0123456789" || got["api_keys"] != "zepto_ab admin ops" {
				t.Fatalf("fields %v", got)
			}
		})
	}
	// A Kubernetes login is kept for its lease; a token Vault refuses
	// (revoked) is replaced by logging in again.
	vault, _ := NewVault(VaultOptions{Addr: srv.URL, Path: "zeptodb", Role: "zeptodb", ServiceAccountTokenFile: sa})
	before := v.logins
	for range 3 {
		if _, err := vault.Read(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if v.logins != before+1 {
		t.Fatalf("%d logins for three reads, want 1", v.logins-before)
	}
	v.mu.Lock()
	clear(v.tokens)
	v.mu.Unlock()
	if _, err := vault.Read(context.Background()); err != nil || v.logins != before+2 {
		t.Fatalf("after revocation: %v, %d logins", err, v.logins-before)
	}
}

func TestNewVaultChecksOptions(t *testing.T) {
	for _, tt := range []struct {
		opts VaultOptions
		err  string
	}{
		{VaultOptions{Addr: "vault:8200", Path: "p", Token: "t"}, "want http(s)://host:port"},
		{VaultOptions{Addr: "https://vault:8200", Token: "t"}, "no secret path"},
		{VaultOptions{Addr: "https://vault:8200", Path: "p"}, "no way to log in"},
		{VaultOptions{Addr: "https://vault:8200", Path: "p", Token: "t", CACertFile: "/nonexistent"}, "CA certificate"},
	} {
		if _, err := NewVault(tt.opts); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%+v: got %v, want %q", tt.opts, err, tt.err)
		}
	}
}

func TestChain(t *testing.T) {
	v, srv := newVaultServer(t)
	vault, _ := NewVault(VaultOptions{Addr: srv.URL, Path: "zeptodb", Token: "root-token"})
	file := filepath.Join(t.TempDir(), "JWT_SECRET")
	os.WriteFile(file, []byte("from-file\n"), 0o600)
	env := map[string]string{"JWT_SECRET": "from-env"}
	getenv := func(k string) (string, bool) { s, ok := env[k]; return s, ok }
	tests := []struct {
		name      string
		chain     Chain
		secret    Secret
		want, src string
		ok        bool
	}{
		{"vault first", Chain{vault, getenv}, Secret{"jwt_secret", file, "JWT_SECRET"}, "from-vault-0123456789abcdef0123456789", "field jwt_secret", true},
		{"field not in vault: the file", Chain{vault, getenv}, Secret{"other", file, "JWT_SECRET"}, "from-file", file, true},
		{"no vault: the file", Chain{nil, getenv}, Secret{"jwt_secret", file, "JWT_SECRET"}, "from-file", file, true},
		{"no file: the environment", Chain{vault, getenv}, Secret{"other", "", "JWT_SECRET"}, "from-env", "$JWT_SECRET", true},
		{"nowhere", Chain{vault, getenv}, Secret{"other", "", "NONE"}, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, src, ok, err := tt.chain.Lookup(context.Background(), tt.secret)
			if err != nil || got != tt.want || ok != tt.ok || !strings.Contains(src, tt.src) {
				t.Fatalf("got %q from %q (%v, %v), want %q from %q", got, src, ok, err, tt.want, tt.src)
			}
		})
	}
	// A Vault that cannot be read fails the lookup instead of falling
	// back to an older secret.
	srv.Close()
	if _, _, _, err := (Chain{vault, getenv}).Lookup(context.Background(), Secret{"jwt_secret", file, "JWT_SECRET"}); err == nil {
		t.Fatal("Vault down: no error")
	}
	_ = v
	if _, _, _, err := (Chain{nil, getenv}).Lookup(context.Background(), Secret{"", filepath.Join(t.TempDir(), "none"), "JWT_SECRET"}); err == nil {
		t.Fatal("a named file that is missing: no error")
	}
}
