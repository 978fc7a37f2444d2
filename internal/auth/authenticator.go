package auth

import "strings"

// Authenticator accepts API keys and, when configured, JWTs.
type Authenticator struct {
	Keys *Store       // nil: no API keys
	JWT  *JWTVerifier // nil: no JWTs
}

// Authenticate returns the identity of a presented token: an API key
// (zepto_...) or a JWT. why says what was wrong with a rejected token,
// for the log only: clients learn just that it was rejected.
func (a *Authenticator) Authenticate(token string) (id Identity, ok bool, why string) {
	if strings.HasPrefix(token, KeyPrefix) {
		if a.Keys != nil {
			if id, ok := a.Keys.Lookup(token); ok {
				return id, true, ""
			}
		}
		return Identity{}, false, "unknown API key"
	}
	if a.JWT == nil {
		return Identity{}, false, "not an API key, and JWTs are not configured"
	}
	id, err := a.JWT.Verify(token)
	if err != nil {
		return Identity{}, false, "JWT rejected: " + err.Error()
	}
	return id, true, ""
}
