package auth

import (
	"context"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"sync"
	"time"
)

// jwks holds the public keys of a JWKS URL, fetched at start, every
// refresh interval, and again (at most every minRefetch) when a token
// names a key it does not know: an identity provider's key rotation
// needs no restart.
type jwks struct {
	url     string
	client  *http.Client
	refresh time.Duration
	now     func() time.Time

	mu      sync.Mutex
	keys    map[string]any // by kid; RSA or ECDSA public keys
	fetched time.Time      // last attempt
	err     error          // of the last attempt
}

const (
	jwksRefresh    = 5 * time.Minute
	jwksMinRefetch = 30 * time.Second
	jwksMaxBytes   = 1 << 20
)

func newJWKS(url string, client *http.Client, now func() time.Time) *jwks {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	j := &jwks{url: url, client: client, refresh: jwksRefresh, now: now}
	j.mu.Lock()
	j.fetchLocked()
	j.mu.Unlock()
	return j
}

// key returns the key kid names ("" when the token names none: then the
// only key of the set, if there is just one).
func (j *jwks) key(kid string) (any, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	since := j.now().Sub(j.fetched)
	if since >= j.refresh || (j.lookup(kid) == nil && since >= jwksMinRefetch) {
		j.fetchLocked()
	}
	if k := j.lookup(kid); k != nil {
		return k, nil
	}
	if j.err != nil {
		return nil, fmt.Errorf("no key %q: fetching %s: %w", kid, j.url, j.err)
	}
	return nil, fmt.Errorf("no key %q in %s", kid, j.url)
}

func (j *jwks) lookup(kid string) any {
	if kid == "" && len(j.keys) == 1 {
		for _, k := range j.keys {
			return k
		}
	}
	return j.keys[kid]
}

// fetchLocked fetches the set; on failure the keys in hand stay.
func (j *jwks) fetchLocked() {
	j.fetched = j.now()
	keys, err := j.fetch()
	j.err = err
	if err == nil {
		j.keys = keys
	}
}

func (j *jwks) fetch() (map[string]any, error) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, j.url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := j.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, jwksMaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > jwksMaxBytes {
		return nil, errors.New("key set over 1 MiB")
	}
	return parseJWKS(body)
}

// jwk is one key of a set, as RFC 7517/7518 spell it.
type jwk struct {
	Kty, Kid, Use, Alg, Crv string
	N, E, X, Y              string
}

// parseJWKS reads the RSA and P-256 signing keys of a JSON Web Key Set;
// other keys are skipped.
func parseJWKS(body []byte) (map[string]any, error) {
	var set struct{ Keys []jwk }
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("key set: %w", err)
	}
	keys := map[string]any{}
	for _, k := range set.Keys {
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		var key any
		var err error
		switch {
		case k.Kty == "RSA" && (k.Alg == "" || k.Alg == "RS256"):
			key, err = rsaKey(k)
		case k.Kty == "EC" && k.Crv == "P-256" && (k.Alg == "" || k.Alg == "ES256"):
			key, err = ecKey(k)
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", k.Kid, err)
		}
		keys[k.Kid] = key
	}
	return keys, nil
}

func b64int(s string) (*big.Int, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) == 0 {
		return nil, errors.New("bad base64url number")
	}
	return new(big.Int).SetBytes(b), nil
}

func rsaKey(k jwk) (*rsa.PublicKey, error) {
	n, err := b64int(k.N)
	if err != nil {
		return nil, err
	}
	e, err := b64int(k.E)
	if err != nil || !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31 {
		return nil, errors.New("bad RSA exponent")
	}
	if n.BitLen() < 2048 {
		return nil, fmt.Errorf("RSA key of %d bits, want at least 2048", n.BitLen())
	}
	return &rsa.PublicKey{N: n, E: int(e.Int64())}, nil
}

func ecKey(k jwk) (*ecdsa.PublicKey, error) {
	x, err := b64int(k.X)
	if err != nil {
		return nil, err
	}
	y, err := b64int(k.Y)
	if err != nil {
		return nil, err
	}
	if x.BitLen() > 256 || y.BitLen() > 256 {
		return nil, errors.New("point not on P-256")
	}
	point := append([]byte{4}, x.FillBytes(make([]byte, 32))...)
	point = append(point, y.FillBytes(make([]byte, 32))...)
	if _, err := ecdh.P256().NewPublicKey(point); err != nil { // checks the point is on the curve
		return nil, errors.New("point not on P-256")
	}
	return &ecdsa.PublicKey{Curve: elliptic.P256(), X: x, Y: y}, nil
}
