package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrecedenceFileEnvFlags(t *testing.T) {
	path := filepath.Join(t.TempDir(), "zeptodb.conf")
	os.WriteFile(path, []byte("port: 9000\nworker_threads: 8\nparallel_threshold: 100000\nwal_sync: batch\n"), 0o644)
	c := Default()
	if err := c.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"ZEPTODB_PORT": "9001", "ZEPTODB_DATA_DIR": "/env"}
	if err := c.LoadEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.RegisterFlags(fs)
	if err := fs.Parse([]string{"--port", "9002", "--no-auth", "--max-body-size", "1MiB"}); err != nil {
		t.Fatal(err)
	}
	if c.Port != 9002 || c.DataDir != "/env" || c.WorkerThreads != 8 || c.WALSync != "batch" || !c.NoAuth || c.MaxBodySize != 1<<20 {
		t.Fatalf("config = %+v", c)
	}
}

func TestUnknownKeyIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "zeptodb.conf")
	os.WriteFile(path, []byte("port: 9000\nworkerThreads: 8\n"), 0o644)
	c := Default()
	err := c.LoadFile(path)
	if err == nil || !strings.Contains(err.Error(), "workerThreads") {
		t.Fatalf("err = %v, want unknown key workerThreads", err)
	}
}

func TestValidate(t *testing.T) {
	for name, mutate := range map[string]func(*Config){
		"bad sync":        func(c *Config) { c.WALSync = "always" },
		"bad compression": func(c *Config) { c.HDBCompression = "gzip" },
		"bad port":        func(c *Config) { c.Port = 70000 },
		"negative worker": func(c *Config) { c.WorkerThreads = -1 },
	} {
		c := Default()
		mutate(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: Validate passed", name)
		}
	}
}

func TestCheckExposure(t *testing.T) {
	tests := []struct {
		host   string
		noAuth bool
		keys   bool
		ok     bool
	}{
		{"127.0.0.1", false, false, true},
		{"localhost", false, false, true},
		{"::1", false, false, true},
		{"0.0.0.0", false, false, false},
		{"10.0.0.5", false, false, false},
		{"0.0.0.0", true, false, true},
		{"0.0.0.0", false, true, true},
	}
	for _, tt := range tests {
		c := Default()
		c.Host, c.NoAuth = tt.host, tt.noAuth
		err := c.CheckExposure(tt.keys)
		if (err == nil) != tt.ok {
			t.Errorf("host %s, no-auth %v, keys %v: %v", tt.host, tt.noAuth, tt.keys, err)
		}
		if err != nil && !strings.Contains(err.Error(), "--api-keys-file") {
			t.Errorf("the refusal does not say what to do: %v", err)
		}
	}
}
