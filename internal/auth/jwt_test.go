package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func pemOf(t *testing.T, pub any) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func TestJWT(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	secret := []byte("0123456789abcdef0123456789abcdef-secret")
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	otherRSA, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rsaPEM, ecPEM := pemOf(t, &rsaKey.PublicKey), pemOf(t, &ecKey.PublicKey)

	newV := func(opts JWTOptions) *JWTVerifier {
		opts.Now = func() time.Time { return now }
		v, err := NewJWTVerifier(opts)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	hs := newV(JWTOptions{Secret: secret, Issuer: "desk-sso", Audience: "zeptodb"})
	rs := newV(JWTOptions{PublicKeyPEM: rsaPEM})
	es := newV(JWTOptions{PublicKeyPEM: ecPEM})
	hsrs := newV(JWTOptions{Secret: secret, PublicKeyPEM: rsaPEM})

	good := func() jwt.MapClaims {
		return jwt.MapClaims{"sub": "desk1", "role": "writer", "exp": now.Add(time.Hour).Unix(), "iss": "desk-sso", "aud": "zeptodb"}
	}
	with := func(change func(jwt.MapClaims)) jwt.MapClaims {
		c := good()
		change(c)
		return c
	}
	sign := func(m jwt.SigningMethod, key any, c jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(m, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	b64 := base64.RawURLEncoding.EncodeToString
	valid := sign(jwt.SigningMethodHS256, secret, good())
	parts := strings.Split(valid, ".")

	tests := []struct {
		name  string
		v     *JWTVerifier
		token string
		ok    bool
	}{
		{"HS256", hs, valid, true},
		{"RS256", rs, sign(jwt.SigningMethodRS256, rsaKey, good()), true},
		{"ES256", es, sign(jwt.SigningMethodES256, ecKey, good()), true},
		{"RS256 to a verifier with a secret too", hsrs, sign(jwt.SigningMethodRS256, rsaKey, good()), true},
		{"alg none", hs, sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good()), false},
		{"alg None, hand-made", hs, b64([]byte(`{"alg":"None","typ":"JWT"}`)) + "." + parts[1] + ".", false},
		{"alg none, signature kept", hs, b64([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "." + parts[2], false},
		{"HS256 signed with the RSA public key as secret", rs, sign(jwt.SigningMethodHS256, rsaPEM, good()), false},
		{"HS256 signed with the RSA public key, verifier with both", hsrs, sign(jwt.SigningMethodHS256, rsaPEM, good()), false},
		{"RS256 by another key", rs, sign(jwt.SigningMethodRS256, otherRSA, good()), false},
		{"HS256 with another secret", hs, sign(jwt.SigningMethodHS256, []byte("another-secret-of-enough-length-32b"), good()), false},
		{"payload swapped under a valid signature", hs, parts[0] + "." + b64([]byte(`{"sub":"desk1","role":"admin","exp":9999999999,"iss":"desk-sso","aud":"zeptodb"}`)) + "." + parts[2], false},
		{"signature with a byte appended", hs, valid + "A", false},
		{"expired an hour ago", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() })), false},
		{"expired 10 s ago, within the leeway", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["exp"] = now.Add(-10 * time.Second).Unix() })), true},
		{"expired 60 s ago, past the leeway", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Minute).Unix() })), false},
		{"not valid for an hour", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Hour).Unix() })), false},
		{"not valid for 10 s, within the leeway", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["nbf"] = now.Add(10 * time.Second).Unix() })), true},
		{"no exp", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { delete(c, "exp") })), false},
		{"exp as a string", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["exp"] = "tomorrow" })), false},
		{"wrong iss", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["iss"] = "evil" })), false},
		{"no iss", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { delete(c, "iss") })), false},
		{"wrong aud", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["aud"] = "grafana" })), false},
		{"aud list holding ours", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["aud"] = []string{"grafana", "zeptodb"} })), true},
		{"unknown role", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["role"] = "root" })), false},
		{"role in capitals", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["role"] = "ADMIN" })), false},
		{"no role", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { delete(c, "role") })), false},
		{"no sub", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { delete(c, "sub") })), false},
		{"sub with a space", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["sub"] = "desk 1" })), false},
		{"huge header", hs, b64([]byte(`{"alg":"HS256","x":"`+strings.Repeat("a", 10<<10)+`"}`)) + "." + parts[1] + "." + parts[2], false},
		{"many segments (CVE-2025-30204)", hs, strings.Repeat(".", 5000), false},
		{"two segments", hs, parts[0] + "." + parts[1], false},
		{"four segments", hs, valid + ".x", false},
		{"bad base64 payload", hs, parts[0] + ".@@@." + parts[2], false},
		{"empty", hs, "", false},
		{"RS256 to a verifier of HS256 only", hs, sign(jwt.SigningMethodRS256, rsaKey, good()), false},
		{"ES256 to a verifier of RS256", rs, sign(jwt.SigningMethodES256, ecKey, good()), false},
		{"PS256 to a verifier of RS256", rs, sign(jwt.SigningMethodPS256, rsaKey, good()), false},
		{"HS512", hs, sign(jwt.SigningMethodHS512, secret, good()), false},
		{"HS256 to a verifier of RS256 only", rs, valid, false},
		{"bad name in the tables claim", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["tables"] = []string{"trades", "a b"} })), false},
		{"tables claim not a list", hs, sign(jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["tables"] = "trades" })), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := tt.v.Verify(tt.token)
			if tt.ok && (err != nil || !reflect.DeepEqual(id, Identity{Name: "desk1", Role: RoleWriter})) {
				t.Fatalf("rejected: %v (%+v)", err, id)
			}
			if !tt.ok && err == nil {
				t.Fatalf("accepted as %+v", id)
			}
		})
	}
	if len(tests) < 30 {
		t.Fatalf("%d cases", len(tests))
	}
}

func TestJWTConfiguration(t *testing.T) {
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	for name, opts := range map[string]JWTOptions{
		"nothing":          {},
		"empty secret":     {Secret: []byte{}},
		"short secret":     {Secret: []byte(strings.Repeat("s", 31))},
		"RSA of 1024 bits": {PublicKeyPEM: pemOf(t, &small.PublicKey)},
		"P-384":            {PublicKeyPEM: pemOf(t, &p384.PublicKey)},
		"not PEM":          {PublicKeyPEM: []byte("ssh-rsa AAAA")},
		"a private key":    {PublicKeyPEM: pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(small)})},
	} {
		if _, err := NewJWTVerifier(opts); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestAuthenticator(t *testing.T) {
	key, _ := GenerateKey()
	keys, _ := Load("", key+" reader r")
	secret := []byte(strings.Repeat("k", 32))
	v, _ := NewJWTVerifier(JWTOptions{Secret: secret})
	tok, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "sso-user", "role": "admin", "exp": time.Now().Add(time.Hour).Unix()}).SignedString(secret)
	a := &Authenticator{Keys: keys, JWT: v}
	if id, ok, _ := a.Authenticate(key); !ok || id.Name != "r" {
		t.Fatalf("key: %+v %v", id, ok)
	}
	if id, ok, _ := a.Authenticate(tok); !ok || !reflect.DeepEqual(id, Identity{"sso-user", RoleAdmin, nil, Limits{}}) {
		t.Fatalf("jwt: %+v %v", id, ok)
	}
	if _, ok, why := a.Authenticate("zepto_" + strings.Repeat("1", 64)); ok || why == "" {
		t.Fatal("unknown key accepted")
	}
	if _, ok, _ := (&Authenticator{Keys: keys}).Authenticate(tok); ok {
		t.Fatal("a JWT accepted without a verifier")
	}
}
