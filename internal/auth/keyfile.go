package auth

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Entry is one key of a keys file: the key's hash, never the key.
type Entry struct {
	Hash   string // SHA-256 of the key, 64 hex digits
	Role   Role
	Name   string
	Tables []string // nil: every table
	Limits Limits
}

// Line renders e as a line of a keys file.
func (e Entry) Line() string {
	line := "sha256:" + e.Hash + " " + string(e.Role) + " " + e.Name
	if e.Tables != nil {
		line += " tables=" + strings.Join(e.Tables, ",")
	}
	for _, o := range e.Limits.options() {
		line += " " + o
	}
	return line
}

// ParseTables reads a table list: names separated by commas.
func ParseTables(s string) ([]string, error) {
	tables := strings.Split(s, ",")
	for _, t := range tables {
		if !validName(t) {
			return nil, fmt.Errorf("bad table name %q in table list %q", t, s)
		}
	}
	return tables, nil
}

// The keys file: one key per line, "#" comments and blank lines ignored.
//
//	sha256:<64 hex digits: SHA-256 of the key> <role> <name> [tables=<t1>,<t2>...]
//	    [max_concurrent=N] [rate=N] [timeout=D] [max_result_rows=N] [max_result_bytes=BYTES] [max_memory=BYTES] [max_body=BYTES]
//
// In the environment (ZEPTODB_API_KEYS) lines may also be separated by
// ";" and may give the key itself instead of its hash.

// ParseKeys reads keys in the keys-file format; source names the input in
// errors. With plaintext, a line may hold the key itself.
func ParseKeys(r io.Reader, source string, plaintext bool) ([]Entry, error) {
	var out []Entry
	names, hashes := map[string]bool{}, map[string]bool{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		e, err := parseEntry(line, plaintext)
		switch {
		case err != nil:
			return nil, fmt.Errorf("%s line %d: %w", source, n, err)
		case names[e.Name]:
			return nil, fmt.Errorf("%s line %d: a second key named %q", source, n, e.Name)
		case hashes[e.Hash]:
			return nil, fmt.Errorf("%s line %d: the same key twice", source, n)
		}
		names[e.Name], hashes[e.Hash] = true, true
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return out, nil
}

func parseEntry(line string, plaintext bool) (Entry, error) {
	f := strings.Fields(line)
	var e Entry
	if len(f) < 3 {
		return Entry{}, errors.New(`want "sha256:<hash> <role> <name> [tables=<t1>,<t2>...] [max_concurrent=N] [rate=N] [timeout=D] [max_result_rows=N] [max_result_bytes=BYTES] [max_memory=BYTES] [max_body=BYTES]"`)
	}
	seen := map[string]bool{}
	for _, field := range f[3:] {
		k, _, _ := strings.Cut(field, "=")
		if seen[k] {
			return Entry{}, fmt.Errorf("field %s given twice", k)
		}
		seen[k] = true
		if err := e.setOption(field); err != nil {
			return Entry{}, err
		}
	}
	f = f[:3]
	switch {
	case strings.HasPrefix(f[0], "sha256:"):
		e.Hash = f[0][len("sha256:"):]
		if !isHex64(e.Hash) {
			return Entry{}, errors.New("the hash is not 64 lower-case hex digits")
		}
	case plaintext && ValidKey(f[0]):
		e.Hash = HashKey(f[0])
	case plaintext:
		return Entry{}, fmt.Errorf("want a key (%s and 64 hex digits) or sha256:<hash>", KeyPrefix)
	default:
		return Entry{}, errors.New("want sha256:<hash of the key>; the file never holds keys")
	}
	role, err := ParseRole(f[1])
	if err != nil {
		return Entry{}, err
	}
	e.Role = role
	if !validName(f[2]) {
		return Entry{}, fmt.Errorf("bad key name %q: letters, digits, '.', '_' and '-', up to 64", f[2])
	}
	e.Name = f[2]
	return e, nil
}

func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// ReadKeysFile reads the keys file at path; a missing file holds no keys.
func ReadKeysFile(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseKeys(f, path, false)
}

// AddKey adds e to the keys file at path, creating it (mode 0600).
func AddKey(path string, e Entry) error {
	entries, err := ReadKeysFile(path)
	if err != nil {
		return err
	}
	for _, old := range entries {
		if old.Name == e.Name {
			return fmt.Errorf("%s already has a key named %q", path, e.Name)
		}
	}
	return writeKeysFile(path, append(entries, e))
}

// RevokeKey removes the key named name from the keys file at path.
func RevokeKey(path, name string) error {
	entries, err := ReadKeysFile(path)
	if err != nil {
		return err
	}
	kept := entries[:0]
	for _, e := range entries {
		if e.Name != name {
			kept = append(kept, e)
		}
	}
	if len(kept) == len(entries) {
		return fmt.Errorf("%s has no key named %q", path, name)
	}
	return writeKeysFile(path, kept)
}

// writeKeysFile replaces the keys file atomically: a temporary file,
// fsynced, renamed over it, the directory fsynced. A server reading it on
// SIGHUP sees the old file or the new one, never half of one.
func writeKeysFile(path string, entries []Entry) error {
	var b strings.Builder
	b.WriteString("# zeptodb API keys: sha256:<SHA-256 of the key> <role> <name> [tables=<t1>,<t2>...]. Written by `zeptodb keys`.\n")
	for _, e := range entries {
		b.WriteString(e.Line() + "\n")
	}
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
