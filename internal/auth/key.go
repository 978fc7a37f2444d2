package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// KeyPrefix starts every API key; 64 lower-case hex digits (256 random
// bits) follow it.
const KeyPrefix = "zepto_"

const keyLen = len(KeyPrefix) + 64

// GenerateKey returns a new random API key.
func GenerateKey() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return KeyPrefix + hex.EncodeToString(b[:]), nil
}

// ValidKey reports whether s has the form of an API key.
func ValidKey(s string) bool {
	if len(s) != keyLen || !strings.HasPrefix(s, KeyPrefix) {
		return false
	}
	for _, c := range s[len(KeyPrefix):] {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// HashKey returns the SHA-256 of a key as 64 hex digits: what the keys
// file stores instead of the key.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
