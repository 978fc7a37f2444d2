package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// JWTOptions configures JWT verification. At least one of Secret and
// PublicKeyPEM must be set.
type JWTOptions struct {
	// Secret verifies HS256 tokens; at least 32 bytes.
	Secret []byte
	// PublicKeyPEM verifies RS256 (an RSA key) or ES256 (a P-256 key)
	// tokens: a PEM "PUBLIC KEY" block.
	PublicKeyPEM []byte
	// JWKSURL, when set, is a JSON Web Key Set of RS256 and ES256 keys
	// (an identity provider's), fetched at start, every 5 min and when a
	// token names an unknown kid; JWKSClient fetches it (nil: a client
	// with a 10 s timeout).
	JWKSURL    string
	JWKSClient *http.Client
	// Issuer and Audience, when set, must match iss and aud.
	Issuer, Audience string
	// Leeway tolerates clock skew on exp and nbf; 0 means 30 s.
	Leeway time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// MaxTokenBytes bounds a token before anything parses it: a huge header
// or a token of many segments (CVE-2025-30204) costs nothing.
const MaxTokenBytes = 8 << 10

// minSecretBytes is the shortest HS256 secret accepted: an empty or short
// secret would let anyone who guesses it sign tokens.
const minSecretBytes = 32

// JWTVerifier checks JWTs and maps them to identities: sub is the name,
// the role claim the role, an optional tables claim (a list of names) the
// tables it may use; exp is required.
type JWTVerifier struct {
	opts    JWTOptions
	methods []string
	public  crypto.PublicKey
	jwks    *jwks
}

// KeySetError reports why the key set URL could not be read at start
// (nil when it was): the verifier keeps trying, so this is for a log.
func (v *JWTVerifier) KeySetError() error {
	if v.jwks == nil {
		return nil
	}
	v.jwks.mu.Lock()
	defer v.jwks.mu.Unlock()
	return v.jwks.err
}

// NewJWTVerifier checks opts and returns a verifier.
func NewJWTVerifier(opts JWTOptions) (*JWTVerifier, error) {
	v := &JWTVerifier{opts: opts}
	if opts.Secret != nil {
		if len(opts.Secret) < minSecretBytes {
			return nil, fmt.Errorf("JWT secret of %d bytes: use at least %d random bytes", len(opts.Secret), minSecretBytes)
		}
		v.methods = append(v.methods, jwt.SigningMethodHS256.Alg())
	}
	if opts.PublicKeyPEM != nil {
		block, _ := pem.Decode(opts.PublicKeyPEM)
		if block == nil || block.Type != "PUBLIC KEY" {
			return nil, errors.New("JWT public key: want a PEM PUBLIC KEY block")
		}
		key, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("JWT public key: %w", err)
		}
		switch k := key.(type) {
		case *rsa.PublicKey:
			if k.N.BitLen() < 2048 {
				return nil, fmt.Errorf("JWT public key: RSA key of %d bits, want at least 2048", k.N.BitLen())
			}
			v.methods = append(v.methods, jwt.SigningMethodRS256.Alg())
		case *ecdsa.PublicKey:
			if k.Curve.Params().Name != "P-256" {
				return nil, fmt.Errorf("JWT public key: curve %s, want P-256 (ES256)", k.Curve.Params().Name)
			}
			v.methods = append(v.methods, jwt.SigningMethodES256.Alg())
		default:
			return nil, fmt.Errorf("JWT public key: %T is neither RSA nor ECDSA", key)
		}
		v.public = key
	}
	if v.opts.Leeway == 0 {
		v.opts.Leeway = 30 * time.Second
	}
	if v.opts.Now == nil {
		v.opts.Now = time.Now
	}
	if opts.JWKSURL != "" {
		v.jwks = newJWKS(opts.JWKSURL, opts.JWKSClient, v.opts.Now)
		for _, m := range []string{jwt.SigningMethodRS256.Alg(), jwt.SigningMethodES256.Alg()} {
			if !slices.Contains(v.methods, m) {
				v.methods = append(v.methods, m)
			}
		}
	}
	if len(v.methods) == 0 {
		return nil, errors.New("JWT: no secret, public key or key set URL")
	}
	return v, nil
}

// claims are the claims a token carries: role and the registered ones,
// and optionally the tables it may use.
type claims struct {
	Role   string   `json:"role"`
	Tables []string `json:"tables,omitempty"`
	jwt.RegisteredClaims
}

// Verify checks a token's form, signature, algorithm, times, issuer and
// audience, and returns its identity.
func (v *JWTVerifier) Verify(token string) (Identity, error) {
	if len(token) > MaxTokenBytes {
		return Identity{}, fmt.Errorf("token of %d bytes, over %d", len(token), MaxTokenBytes)
	}
	if strings.Count(token, ".") != 2 {
		return Identity{}, errors.New("a JWT has three dot-separated parts")
	}
	opts := []jwt.ParserOption{
		jwt.WithValidMethods(v.methods), jwt.WithExpirationRequired(), jwt.WithLeeway(v.opts.Leeway),
		jwt.WithTimeFunc(v.opts.Now), jwt.WithStrictDecoding(),
	}
	if v.opts.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(v.opts.Issuer))
	}
	if v.opts.Audience != "" {
		opts = append(opts, jwt.WithAudience(v.opts.Audience))
	}
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, v.key, opts...)
	if err != nil {
		return Identity{}, err
	}
	role, err := ParseRole(c.Role)
	if err != nil {
		return Identity{}, fmt.Errorf("role claim: %w", err)
	}
	if c.Subject == "" || !validName(c.Subject) {
		return Identity{}, fmt.Errorf("bad sub claim %q", c.Subject)
	}
	id := Identity{Name: c.Subject, Role: role}
	if c.Tables != nil {
		for _, t := range c.Tables {
			if !validName(t) {
				return Identity{}, fmt.Errorf("bad table %q in the tables claim", t)
			}
		}
		id.Tables = c.Tables
	}
	return id, nil
}

// publicKey returns the key for an RS256 or ES256 token: from the key
// set when the token names a kid (or there is no key file of its
// family), else the key file's. The key must be of the token's family.
func (v *JWTVerifier) publicKey(t *jwt.Token, family func(any) bool) (any, error) {
	kid, _ := t.Header["kid"].(string)
	if v.jwks != nil && (kid != "" || !family(v.public)) {
		k, err := v.jwks.key(kid)
		if err != nil {
			return nil, err
		}
		if !family(k) {
			return nil, fmt.Errorf("key %q is not a %s key", kid, t.Method.Alg())
		}
		return k, nil
	}
	if family(v.public) {
		return v.public, nil
	}
	return nil, fmt.Errorf("%s tokens are not accepted", t.Method.Alg())
}

// key picks the verification key by the token's algorithm family, so a
// token can never have its RSA public key used as an HMAC secret.
func (v *JWTVerifier) key(t *jwt.Token) (any, error) {
	switch t.Method.(type) {
	case *jwt.SigningMethodHMAC:
		if v.opts.Secret == nil {
			return nil, errors.New("HS256 tokens are not accepted")
		}
		return v.opts.Secret, nil
	case *jwt.SigningMethodRSA:
		return v.publicKey(t, func(k any) bool { _, ok := k.(*rsa.PublicKey); return ok })
	case *jwt.SigningMethodECDSA:
		return v.publicKey(t, func(k any) bool { _, ok := k.(*ecdsa.PublicKey); return ok })
	}
	return nil, fmt.Errorf("%s tokens are not accepted", t.Method.Alg())
}
