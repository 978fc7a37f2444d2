package auth

import (
	"fmt"
	"strings"
	"sync/atomic"
)

// Store holds the keys a server accepts, from a keys file, the
// environment and a secret store; Reload reads them again (SIGHUP).
type Store struct {
	src  Sources
	keys atomic.Pointer[map[string]Identity] // by key hash
}

// Sources are where keys come from; a server accepts the keys of all of
// them, and a name may appear only once across them.
type Sources struct {
	File string // a keys file; "" for none
	Env  string // the value of ZEPTODB_API_KEYS
	// Remote reads key lines, in the environment's format, from a secret
	// store (Vault); ok is false when it holds none. Nil for none.
	Remote     func() (text string, ok bool, err error)
	RemoteName string
}

// Load reads the keys file at path ("" for none) and the keys in env
// (the value of ZEPTODB_API_KEYS). A key may not be named twice.
func Load(path, env string) (*Store, error) {
	return LoadSources(Sources{File: path, Env: env})
}

// LoadSources reads the keys of every source.
func LoadSources(src Sources) (*Store, error) {
	s := &Store{src: src}
	if err := s.Reload(); err != nil {
		return nil, err
	}
	return s, nil
}

// Reload reads the keys again; on error the keys in use stay.
func (s *Store) Reload() error {
	var entries []Entry
	if s.src.File != "" {
		fromFile, err := ReadKeysFile(s.src.File)
		if err != nil {
			return fmt.Errorf("keys file: %w", err)
		}
		entries = fromFile
	}
	if s.src.Env != "" {
		fromEnv, err := ParseKeys(strings.NewReader(strings.ReplaceAll(s.src.Env, ";", "\n")), "ZEPTODB_API_KEYS", true)
		if err != nil {
			return err
		}
		entries = append(entries, fromEnv...)
	}
	if s.src.Remote != nil {
		text, ok, err := s.src.Remote()
		if err != nil {
			return fmt.Errorf("keys from %s: %w", s.src.RemoteName, err)
		}
		if ok {
			remote, err := ParseKeys(strings.NewReader(strings.ReplaceAll(text, ";", "\n")), s.src.RemoteName, true)
			if err != nil {
				return err
			}
			entries = append(entries, remote...)
		}
	}
	keys := make(map[string]Identity, len(entries))
	names := map[string]bool{}
	for _, e := range entries {
		if names[e.Name] {
			return fmt.Errorf("two keys named %q (keys file, ZEPTODB_API_KEYS, secret store)", e.Name)
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
