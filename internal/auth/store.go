package auth

import (
	"fmt"
	"strings"
	"sync/atomic"
)

// Store holds the keys a server accepts, from a keys file and the
// environment; Reload reads them again (SIGHUP).
type Store struct {
	path, env string
	keys      atomic.Pointer[map[string]Identity] // by key hash
}

// Load reads the keys file at path ("" for none) and the keys in env
// (the value of ZEPTODB_API_KEYS). A key may not be named twice.
func Load(path, env string) (*Store, error) {
	s := &Store{path: path, env: env}
	if err := s.Reload(); err != nil {
		return nil, err
	}
	return s, nil
}

// Reload reads the keys again; on error the keys in use stay.
func (s *Store) Reload() error {
	var entries []Entry
	if s.path != "" {
		fromFile, err := ReadKeysFile(s.path)
		if err != nil {
			return fmt.Errorf("keys file: %w", err)
		}
		entries = fromFile
	}
	if s.env != "" {
		fromEnv, err := ParseKeys(strings.NewReader(strings.ReplaceAll(s.env, ";", "\n")), "ZEPTODB_API_KEYS", true)
		if err != nil {
			return err
		}
		entries = append(entries, fromEnv...)
	}
	keys := make(map[string]Identity, len(entries))
	names := map[string]bool{}
	for _, e := range entries {
		if names[e.Name] {
			return fmt.Errorf("two keys named %q (keys file and ZEPTODB_API_KEYS)", e.Name)
		}
		names[e.Name] = true
		keys[e.Hash] = Identity{Name: e.Name, Role: e.Role, Tables: e.Tables, Limits: e.Limits}
	}
	s.keys.Store(&keys)
	return nil
}

// Len returns the number of keys.
func (s *Store) Len() int { return len(*s.keys.Load()) }

// Lookup returns the identity of a presented key. Keys are compared by
// their SHA-256, so the lookup reveals nothing of a stored key through
// its timing.
func (s *Store) Lookup(key string) (Identity, bool) {
	if !ValidKey(key) {
		return Identity{}, false
	}
	id, ok := (*s.keys.Load())[HashKey(key)]
	return id, ok
}
