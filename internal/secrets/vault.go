package secrets

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
)

// VaultOptions say where a secret lives in Vault and how to log in.
type VaultOptions struct {
	Addr      string // https://vault.example:8200
	Namespace string // Vault Enterprise namespace, sent as X-Vault-Namespace; "" for none
	KVMount   string // the KV v2 engine's mount; "" means "secret"
	Path      string // the secret's path under the mount, such as "zeptodb"

	// Token authentication: Token, or the token in TokenFile (re-read at
	// each login, so an agent may rotate it).
	Token, TokenFile string
	// Kubernetes authentication, when Role is set: the pod's service
	// account token (TokenFile, by default the one Kubernetes mounts) is
	// exchanged at auth/<AuthMount>/login ("kubernetes" by default).
	Role, AuthMount, ServiceAccountTokenFile string

	CACertFile string        // PEM roots for Vault's certificate; "" for the system's
	Timeout    time.Duration // per request; 10 s by default
}

// DefaultServiceAccountTokenFile is where Kubernetes mounts a pod's token.
const DefaultServiceAccountTokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token"

// Vault reads one KV v2 secret. It logs in lazily, keeps the token for
// its lease and logs in again when Vault refuses it.
type Vault struct {
	opts   VaultOptions
	client *http.Client

	mu      sync.Mutex
	token   string
	expires time.Time // zero: the token does not expire (or is static)
}

// NewVault checks opts and builds a client; it does not contact Vault.
func NewVault(opts VaultOptions) (*Vault, error) {
	u, err := url.Parse(opts.Addr)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("vault address %q: want http(s)://host:port", opts.Addr)
	}
	if opts.Path == "" {
		return nil, errors.New("vault: no secret path (vault_path)")
	}
	if opts.Role == "" && opts.Token == "" && opts.TokenFile == "" {
		return nil, errors.New("vault: no way to log in: set a token (VAULT_TOKEN, vault_token_file) or a Kubernetes role (vault_role)")
	}
	if opts.KVMount == "" {
		opts.KVMount = "secret"
	}
	if opts.AuthMount == "" {
		opts.AuthMount = "kubernetes"
	}
	if opts.ServiceAccountTokenFile == "" {
		opts.ServiceAccountTokenFile = DefaultServiceAccountTokenFile
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if opts.CACertFile != "" {
		pem, err := os.ReadFile(opts.CACertFile)
		if err != nil {
			return nil, fmt.Errorf("vault CA certificate: %w", err)
		}
		roots := x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("vault CA certificate %s: no PEM certificate in it", opts.CACertFile)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	return &Vault{opts: opts, client: &http.Client{Transport: tr, Timeout: opts.Timeout}}, nil
}

// Where names the secret, for logs and errors.
func (v *Vault) Where() string {
	return fmt.Sprintf("vault %s/v1/%s/data/%s", strings.TrimRight(v.opts.Addr, "/"), v.opts.KVMount, v.opts.Path)
}

// Read returns the latest version of the secret's fields. Fields that
// are not strings are left out.
func (v *Vault) Read(ctx context.Context) (map[string]string, error) {
	for attempt := 0; ; attempt++ {
		token, err := v.login(ctx)
		if err != nil {
			return nil, err
		}
		var body struct {
			Data struct {
				Data map[string]any `json:"data"`
			} `json:"data"`
		}
		status, err := v.do(ctx, http.MethodGet, "/v1/"+v.opts.KVMount+"/data/"+v.opts.Path, token, nil, &body)
		if status == http.StatusForbidden && attempt == 0 && v.renewable() {
			v.forget(token) // expired or revoked: log in once more
			continue
		}
		if status == http.StatusNotFound {
			return nil, fmt.Errorf("%s: no such secret, deleted, or no KV v2 engine at %q (%w)", v.Where(), v.opts.KVMount, err)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", v.Where(), err)
		}
		out := make(map[string]string, len(body.Data.Data))
		for k, val := range body.Data.Data {
			if s, ok := val.(string); ok {
				out[k] = s
			}
		}
		return out, nil
	}
}

// renewable reports whether a refused token can be replaced by logging
// in again: a Kubernetes login or a token file an agent rewrites.
func (v *Vault) renewable() bool { return v.opts.Role != "" || v.opts.TokenFile != "" }

func (v *Vault) forget(token string) {
	v.mu.Lock()
	if v.token == token {
		v.token = ""
	}
	v.mu.Unlock()
}

// login returns a token, logging in when there is none or it is about to
// expire.
func (v *Vault) login(ctx context.Context) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.token != "" && (v.expires.IsZero() || time.Until(v.expires) > 30*time.Second) {
		return v.token, nil
	}
	switch {
	case v.opts.Role != "":
		jwt, err := os.ReadFile(v.opts.ServiceAccountTokenFile)
		if err != nil {
			return "", fmt.Errorf("vault kubernetes login: service account token: %w", err)
		}
		req, _ := json.Marshal(map[string]string{"role": v.opts.Role, "jwt": strings.TrimSpace(string(jwt))})
		var body struct {
			Auth struct {
				ClientToken   string `json:"client_token"`
				LeaseDuration int64  `json:"lease_duration"`
			} `json:"auth"`
		}
		if _, err := v.do(ctx, http.MethodPost, "/v1/auth/"+v.opts.AuthMount+"/login", "", req, &body); err != nil {
			return "", fmt.Errorf("vault kubernetes login (role %q, mount %q): %w", v.opts.Role, v.opts.AuthMount, err)
		}
		if body.Auth.ClientToken == "" {
			return "", fmt.Errorf("vault kubernetes login (role %q): the answer holds no client token", v.opts.Role)
		}
		v.token, v.expires = body.Auth.ClientToken, time.Time{}
		if body.Auth.LeaseDuration > 0 {
			v.expires = time.Now().Add(time.Duration(body.Auth.LeaseDuration) * time.Second)
		}
	case v.opts.TokenFile != "":
		b, err := os.ReadFile(v.opts.TokenFile)
		if err != nil {
			return "", fmt.Errorf("vault token file: %w", err)
		}
		if v.token = strings.TrimSpace(string(b)); v.token == "" {
			return "", fmt.Errorf("vault token file %s is empty", v.opts.TokenFile)
		}
	default:
		v.token = v.opts.Token
	}
	return v.token, nil
}

// maxAnswer bounds what is read of one answer from Vault.
const maxAnswer = 4 << 20

// do sends one request and decodes a 2xx JSON answer into out. On an
// error status it returns the status and Vault's error messages.
func (v *Vault) do(ctx context.Context, method, path, token string, body []byte, out any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(v.opts.Addr, "/")+path, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	if token != "" {
		req.Header.Set("X-Vault-Token", token)
	}
	if v.opts.Namespace != "" {
		req.Header.Set("X-Vault-Namespace", v.opts.Namespace)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := v.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return resp.StatusCode, fmt.Errorf("reading the answer: %w", err)
	}
	if len(raw) > maxAnswer {
		return resp.StatusCode, fmt.Errorf("the answer is over %d bytes", maxAnswer)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Errors []string `json:"errors"`
		}
		_ = json.Unmarshal(raw, &e) // Vault's errors, when the body is its JSON
		msg := strings.Join(e.Errors, "; ")
		if msg == "" {
			msg = "no error message"
		}
		return resp.StatusCode, fmt.Errorf("HTTP %d: %s", resp.StatusCode, msg)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return resp.StatusCode, fmt.Errorf("the answer is not Vault's JSON: %w", err)
	}
	return resp.StatusCode, nil
}
