package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func jwkOf(kid string, pub any) map[string]string {
	b64 := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return map[string]string{"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())}
	case *ecdsa.PublicKey:
		return map[string]string{"kty": "EC", "kid": kid, "crv": "P-256", "x": b64(k.X.FillBytes(make([]byte, 32))), "y": b64(k.Y.FillBytes(make([]byte, 32)))}
	}
	return nil
}

// TestJWKS: keys come from an identity provider's key set over HTTP; a
// rotation (new kid) is picked up without a restart, a removed key stops
// working, and a provider that is down at start does not stop it.
func TestJWKS(t *testing.T) {
	rsa1, _ := rsa.GenerateKey(rand.Reader, 2048)
	rsa2, _ := rsa.GenerateKey(rand.Reader, 2048)
	ec1, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	var mu sync.Mutex
	var set []map[string]string
	up, fetches := false, 0
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		fetches++
		if !up {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"keys": set})
	}))
	defer idp.Close()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	setKeys := func(keys ...map[string]string) { mu.Lock(); set, up = keys, true; mu.Unlock() }

	v, err := NewJWTVerifier(JWTOptions{JWKSURL: idp.URL, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	if v.KeySetError() == nil {
		t.Fatal("a provider that is down reported no error")
	}
	token := func(m jwt.SigningMethod, key any, kid string) string {
		tok := jwt.NewWithClaims(m, jwt.MapClaims{"sub": "sso", "role": "reader", "exp": clock().Add(time.Hour).Unix()})
		if kid != "" {
			tok.Header["kid"] = kid
		}
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	check := func(what, tok string, ok bool) {
		t.Helper()
		_, err := v.Verify(tok)
		if (err == nil) != ok {
			t.Fatalf("%s: %v, want ok=%v", what, err, ok)
		}
	}
	check("provider down", token(jwt.SigningMethodRS256, rsa1, "k1"), false)
	setKeys(jwkOf("k1", &rsa1.PublicKey), jwkOf("e1", &ec1.PublicKey))
	check("before the refetch interval", token(jwt.SigningMethodRS256, rsa1, "k1"), false)
	advance(jwksMinRefetch)
	check("RS256 k1", token(jwt.SigningMethodRS256, rsa1, "k1"), true)
	check("ES256 e1", token(jwt.SigningMethodES256, ec1, "e1"), true)
	check("RS256 claiming the EC key", token(jwt.SigningMethodRS256, rsa1, "e1"), false)
	check("signed by another key under k1", token(jwt.SigningMethodRS256, rsa2, "k1"), false)
	check("HS256 with the key set's modulus as secret", token(jwt.SigningMethodHS256, rsa1.PublicKey.N.Bytes(), "k1"), false)
	check("no kid, several keys", token(jwt.SigningMethodRS256, rsa1, ""), false)

	// Rotation: k2 appears, k1 goes. A token naming k2 triggers a refetch.
	setKeys(jwkOf("k2", &rsa2.PublicKey))
	advance(jwksMinRefetch)
	check("rotated in", token(jwt.SigningMethodRS256, rsa2, "k2"), true)
	check("rotated out", token(jwt.SigningMethodRS256, rsa1, "k1"), false)
	check("no kid, one key", token(jwt.SigningMethodRS256, rsa2, ""), true)

	// Unknown kids cannot make it hammer the provider.
	mu.Lock()
	before := fetches
	mu.Unlock()
	for i := 0; i < 50; i++ {
		check("unknown kid", token(jwt.SigningMethodRS256, rsa1, "nope"), false)
	}
	mu.Lock()
	if fetches-before > 1 {
		t.Fatalf("%d fetches for 50 tokens naming an unknown key", fetches-before)
	}
	mu.Unlock()
}

func TestParseJWKS(t *testing.T) {
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	offCurve := jwkOf("bad", &ec.PublicKey)
	offCurve["y"] = offCurve["x"]
	for name, body := range map[string]string{
		"not JSON":      "{",
		"small RSA":     mustJSON(map[string]any{"keys": []any{jwkOf("s", &small.PublicKey)}}),
		"off the curve": mustJSON(map[string]any{"keys": []any{offCurve}}),
		"bad base64":    `{"keys":[{"kty":"RSA","kid":"x","n":"@@","e":"AQAB"}]}`,
	} {
		if _, err := parseJWKS([]byte(body)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	keys, err := parseJWKS([]byte(`{"keys":[{"kty":"oct","kid":"h","k":"c2VjcmV0"},{"kty":"RSA","use":"enc","kid":"e"}]}`))
	if err != nil || len(keys) != 0 {
		t.Fatalf("symmetric and encryption keys must be skipped: %v %v", keys, err)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return strings.TrimSpace(string(b))
}
