package auth

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestKeys(t *testing.T) {
	a, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := GenerateKey()
	if !ValidKey(a) || a == b || len(a) != 70 || !strings.HasPrefix(a, "zepto_") {
		t.Fatalf("keys %q %q", a, b)
	}
	for _, bad := range []string{"", "zepto_", a[:69], a + "0", strings.ToUpper(a), "zepto_" + strings.Repeat("g", 64), "token_" + a[6:]} {
		if ValidKey(bad) {
			t.Errorf("ValidKey(%q)", bad)
		}
	}
	if h := HashKey(a); len(h) != 64 || h == HashKey(b) || !isHex64(h) {
		t.Fatalf("hash %q", h)
	}
}

func TestRoles(t *testing.T) {
	want := map[Role][]Action{
		RoleAdmin:   {ActMetrics, ActRead, ActWrite, ActDDL, ActAdmin},
		RoleWriter:  {ActRead, ActWrite},
		RoleReader:  {ActRead},
		RoleMetrics: {ActMetrics},
	}
	for role, allowed := range want {
		for a := ActMetrics; a <= ActAdmin; a++ {
			ok := false
			for _, x := range allowed {
				ok = ok || x == a
			}
			if role.Allows(a) != ok {
				t.Errorf("%s may %s: %v, want %v", role, a, role.Allows(a), ok)
			}
		}
		if r, err := ParseRole(string(role)); err != nil || r != role {
			t.Errorf("ParseRole(%s) = %v, %v", role, r, err)
		}
	}
	if _, err := ParseRole("root"); err == nil {
		t.Error("ParseRole(root) succeeded")
	}
	if Role("root").Allows(ActRead) {
		t.Error("an unknown role may read")
	}
}

func TestParseKeys(t *testing.T) {
	key, _ := GenerateKey()
	hash := HashKey(key)
	tests := []struct {
		name, in  string
		plaintext bool
		want      []Entry
		err       string
	}{
		{"hashes, comments, blanks", "# keys\n\nsha256:" + hash + " writer desk1\n  \n", false, []Entry{{hash, RoleWriter, "desk1", nil, Limits{}}}, ""},
		{"table list", "sha256:" + hash + " reader desk2 tables=trades,quotes", false, []Entry{{hash, RoleReader, "desk2", []string{"trades", "quotes"}, Limits{}}}, ""},
		{"bad table list", "sha256:" + hash + " reader desk2 tables=trades,,quotes", false, nil, "bad table name"},
		{"bad fourth field", "sha256:" + hash + " reader desk2 trades", false, nil, "want key=value"},
		{"limits", "sha256:" + hash + " writer feed max_concurrent=4 rate=50 timeout=30s max_result_rows=1000 max_memory=1048576 max_result_bytes=4096 max_body=8192", false,
			[]Entry{{hash, RoleWriter, "feed", nil, Limits{MaxConcurrent: 4, Rate: 50, Timeout: 30 * time.Second, MaxResultRows: 1000, MaxMemory: 1 << 20, MaxResultBytes: 4096, MaxBody: 8192}}}, ""},
		{"bad max_body", "sha256:" + hash + " writer feed max_body=-1", false, nil, "max_body=-1"},
		{"bad limit", "sha256:" + hash + " writer feed rate=0", false, nil, "rate=0"},
		{"bad max_memory", "sha256:" + hash + " writer feed max_memory=1GB", false, nil, "max_memory=1GB"},
		{"unknown field", "sha256:" + hash + " writer feed color=red", false, nil, "unknown field"},
		{"field twice", "sha256:" + hash + " writer feed rate=1 rate=2", false, nil, "twice"},
		{"plain key in the environment", key + " admin ops", true, []Entry{{hash, RoleAdmin, "ops", nil, Limits{}}}, ""},
		{"plain key in a file", key + " admin ops", false, nil, "never holds keys"},
		{"unknown role", "sha256:" + hash + " root ops", false, nil, "unknown role"},
		{"short hash", "sha256:abc reader r", false, nil, "64 lower-case hex"},
		{"too few fields", "sha256:" + hash + " reader", false, nil, "want"},
		{"bad name", "sha256:" + hash + " reader a/b", false, nil, "bad key name"},
		{"name twice", "sha256:" + hash + " reader r\nsha256:" + HashKey(key+"x") + " reader r", false, nil, "second key named"},
		{"key twice", "sha256:" + hash + " reader r\nsha256:" + hash + " reader s", false, nil, "same key twice"},
		{"not a key", "zepto_abc reader r", true, nil, "want a key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseKeys(strings.NewReader(tt.in), "keys.txt", tt.plaintext)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), "keys.txt line") {
					t.Fatalf("err = %v, want %q with the line", err, tt.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestKeysFileAndStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.txt")
	k1, _ := GenerateKey()
	k2, _ := GenerateKey()
	envKey, _ := GenerateKey()
	if err := AddKey(path, Entry{HashKey(k1), RoleWriter, "desk1", []string{"trades"}, Limits{Rate: 5}}); err != nil {
		t.Fatal(err)
	}
	if err := AddKey(path, Entry{HashKey(k2), RoleReader, "desk2", nil, Limits{}}); err != nil {
		t.Fatal(err)
	}
	if err := AddKey(path, Entry{HashKey(k2), RoleReader, "desk2", nil, Limits{}}); err == nil {
		t.Fatal("a second key named desk2 was added")
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("keys file mode %v", st.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), k1) || !strings.Contains(string(data), HashKey(k1)) {
		t.Fatal("the keys file holds a key, or not its hash")
	}
	s, err := Load(path, envKey+" admin ops")
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := s.Lookup(k1); !ok || !reflect.DeepEqual(id, Identity{"desk1", RoleWriter, []string{"trades"}, Limits{Rate: 5}}) || id.AllowsTable("quotes") || !id.AllowsTable("TRADES") {
		t.Fatalf("desk1: %+v %v", id, ok)
	}
	if id, ok := s.Lookup(envKey); !ok || id.Role != RoleAdmin || s.Len() != 3 {
		t.Fatalf("ops: %+v %v, %d keys", id, ok, s.Len())
	}
	for _, bad := range []string{"", "zepto_" + strings.Repeat("0", 64), HashKey(k1), k1 + " "} {
		if _, ok := s.Lookup(bad); ok {
			t.Errorf("Lookup(%q) succeeded", bad)
		}
	}
	if err := RevokeKey(path, "desk1"); err != nil {
		t.Fatal(err)
	}
	if err := RevokeKey(path, "desk1"); err == nil {
		t.Fatal("revoked a key that is gone")
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Lookup(k1); ok {
		t.Fatal("a revoked key still works after a reload")
	}
	os.WriteFile(path, []byte("garbage\n"), 0o600)
	if err := s.Reload(); err == nil {
		t.Fatal("a broken keys file reloaded")
	}
	if _, ok := s.Lookup(k2); !ok {
		t.Fatal("a failed reload dropped the keys in use")
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none"), ""); err != nil {
		t.Fatalf("a missing keys file: %v", err)
	}
}
