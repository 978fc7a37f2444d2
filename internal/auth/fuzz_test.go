package auth

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// FuzzParseKeys: any keys file either fails with an error or parses into
// entries that render and parse back the same.
func FuzzParseKeys(f *testing.F) {
	f.Add("sha256:" + strings.Repeat("ab", 32) + " writer desk1\n# c\n\nsha256:" + strings.Repeat("cd", 32) + " reader r tables=trades,quotes\n")
	f.Add("zepto_" + strings.Repeat("0", 64) + " admin ops; sha256:" + strings.Repeat("1", 64) + " metrics m")
	f.Add("sha256:xyz root a/b tables=,\n")
	f.Fuzz(func(t *testing.T, in string) {
		for _, plaintext := range []bool{false, true} {
			entries, err := ParseKeys(strings.NewReader(in), "fuzz", plaintext)
			if err != nil {
				continue
			}
			var b strings.Builder
			for _, e := range entries {
				if !isHex64(e.Hash) || !validName(e.Name) {
					t.Fatalf("accepted a bad entry %+v", e)
				}
				b.WriteString(e.Line() + "\n")
			}
			again, err := ParseKeys(strings.NewReader(b.String()), "again", false)
			if err != nil || (len(entries) > 0 && !reflect.DeepEqual(again, entries)) {
				t.Fatalf("round trip: %v\n%+v\n%+v", err, entries, again)
			}
		}
	})
}

// FuzzVerifyJWT: no token makes Verify panic, and any token it accepts
// carries a valid name and role.
func FuzzVerifyJWT(f *testing.F) {
	secret := []byte(strings.Repeat("k", 32))
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	v, err := NewJWTVerifier(JWTOptions{Secret: secret, Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	valid, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "u", "role": "reader", "exp": now.Add(time.Hour).Unix(), "tables": []string{"t"}}).SignedString(secret)
	f.Add(valid)
	f.Add("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1Iiwicm9sZSI6ImFkbWluIn0.")
	f.Add(strings.Repeat(".", 100))
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, token string) {
		id, err := v.Verify(token)
		if err != nil {
			return
		}
		if _, rerr := ParseRole(string(id.Role)); rerr != nil || !validName(id.Name) {
			t.Fatalf("accepted %q as %+v", token, id)
		}
	})
}
